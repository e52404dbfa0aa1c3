"""Reviews's REST endpoints, mounted under /api/v1/ by commerce/urls.py.

Reading a product's reviews and rating is public. Writing, voting and
reporting need a signed-in customer (403 otherwise; session-authenticated
requests need the CSRF token, as everywhere in DRF). A customer changes
only their own reviews: another's review id is a 404, exactly like one
that does not exist. Errors: 400 names the field, 403 a rule that forbids
this customer (voting on one's own review), 404 no such review, 409 a
second review of the same product, 429 too many writes this hour. The
services' refusals (``reviews.dtos.ReviewError``, each a ``DomainError``)
are answered by the kernel's exception handler, as every context's are.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import (
    NotFound,
    ValidationError,
)
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import api as catalog_api
from kernel.query import reads_query
from kernel.rest import TryAgainIn, existing_page, unknown_parameters
from reviews import api, throttle
from reviews import params as review_params
from reviews.forms import display_name
from reviews.serializers import (
    RatingSummarySerializer,
    ReportSerializer,
    ReviewCreateSerializer,
    ReviewDraftSerializer,
    ReviewPageSerializer,
    ReviewSerializer,
    VoteSerializer,
)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(description=description)


BAD_INPUT = _error("Invalid input; errors are keyed by field name.")
NOT_SIGNED_IN = _error("Not signed in.")
OWN_REVIEW = _error("Not signed in, or the review is your own.")
NO_SUCH_REVIEW = _error("No such review, or not one of yours / not published.")
THROTTLED = _error("Too many reviews written or edited this hour; see Retry-After.")


def _check_throttle(customer_id: int) -> None:
    """The hourly write limit, as DRF's 429 (with its Retry-After header)."""
    try:
        throttle.check(customer_id)
    except throttle.Throttled as throttled:
        raise TryAgainIn(throttled.retry_after, str(throttled)) from throttled


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer


class ProductReviewsView(APIView):
    """A product's published reviews, with its rating summary."""

    @extend_schema(
        operation_id="reviews_product_reviews_list",
        parameters=[
            OpenApiParameter("sort", str, enum=["helpful", "newest", "highest", "lowest"]),
            OpenApiParameter(
                "stars", int, enum=[1, 2, 3, 4, 5], description="Only reviews with this rating."
            ),
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1, "maximum": review_params.LAST_PAGE},
                description="From 1.",
            ),
        ],
        responses={200: ReviewPageSerializer, 400: BAD_INPUT},
    )
    @reads_query
    def get(self, request, product_id: int):
        _known(product_id)
        query, errors = api.review_query_from_params(params=dict(request.query_params.lists()))
        errors |= unknown_parameters(request.query_params, known=review_params.NAMES)
        if errors:
            raise ValidationError(errors)
        viewer = request.user.pk if request.user.is_authenticated else None
        page = api.product_reviews(product_id=product_id, query=query, viewer_id=viewer)
        existing_page(page, query.page)
        return Response(ReviewPageSerializer(page, context={"request": request}).data)


def _known(product_id: int) -> None:
    """A 404 for an id that is no published product's: its reviews are none, and saying
    "no reviews yet" of a product that does not exist would mislead an app."""
    if catalog_api.product_by_id(product_id=product_id) is None:
        raise NotFound("No product with this id.")


class RatingSummaryView(APIView):
    """A product's average rating, review count and 1-5 histogram (published reviews)."""

    @extend_schema(operation_id="reviews_rating_retrieve", responses=RatingSummarySerializer)
    def get(self, request, product_id: int):
        _known(product_id)
        return Response(RatingSummarySerializer(api.rating_summary(product_id=product_id)).data)


class ReviewListView(APIView):
    """The signed-in customer's reviews (any status); writing a new one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="reviews_mine_list",
        responses={200: ReviewSerializer(many=True), 403: NOT_SIGNED_IN},
    )
    def get(self, request):
        mine = api.customer_reviews(customer_id=request.user.pk)
        return Response(ReviewSerializer(mine, many=True).data)

    @extend_schema(
        operation_id="reviews_create",
        request=ReviewCreateSerializer,
        responses={
            201: ReviewSerializer,
            400: BAD_INPUT,
            403: NOT_SIGNED_IN,
            404: _error("No product with this id is on sale."),
            409: _error("You have already reviewed this product; edit that review."),
            429: THROTTLED,
        },
    )
    def post(self, request):
        serializer = _valid(ReviewCreateSerializer, request)
        _check_throttle(request.user.pk)
        review = api.write_review(
            customer_id=request.user.pk,
            author_name=display_name(request.user),
            product_id=serializer.validated_data["product_id"],
            draft=serializer.draft(),
        )
        throttle.count(request.user.pk)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewDetailView(APIView):
    """One of the signed-in customer's own reviews: edit (moderated again) or delete."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="reviews_update",
        request=ReviewDraftSerializer,
        responses={
            200: ReviewSerializer,
            400: BAD_INPUT,
            403: NOT_SIGNED_IN,
            404: NO_SUCH_REVIEW,
            429: THROTTLED,
        },
    )
    def put(self, request, review_id: int):
        serializer = _valid(ReviewDraftSerializer, request)
        _check_throttle(request.user.pk)
        review = api.edit_review(
            customer_id=request.user.pk, review_id=review_id, draft=serializer.draft()
        )
        throttle.count(request.user.pk)
        return Response(ReviewSerializer(review).data)

    @extend_schema(
        operation_id="reviews_destroy",
        responses={204: None, 403: NOT_SIGNED_IN, 404: NO_SUCH_REVIEW},
    )
    def delete(self, request, review_id: int):
        api.delete_review(customer_id=request.user.pk, review_id=review_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VoteView(APIView):
    """Helpful or not: one vote per customer and review, changeable; not on one's own."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="reviews_vote_create",
        request=VoteSerializer,
        responses={200: ReviewSerializer, 400: BAD_INPUT, 403: OWN_REVIEW, 404: NO_SUCH_REVIEW},
    )
    def post(self, request, review_id: int):
        helpful = _valid(VoteSerializer, request).validated_data["helpful"]
        review = api.vote(customer_id=request.user.pk, review_id=review_id, helpful=helpful)
        return Response(ReviewSerializer(review).data)


class ReportView(APIView):
    """Report a published review to the moderators (once per customer).

    Sent again, a report is a 202 as the first was, even when that first one sent the
    review back to moderation: an app may retry a report whose answer it lost.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="reviews_report_create",
        request=ReportSerializer,
        responses={
            202: _error("Reported; enough reports send the review back to moderation."),
            400: BAD_INPUT,
            403: OWN_REVIEW,
            404: NO_SUCH_REVIEW,
        },
    )
    def post(self, request, review_id: int):
        reason = _valid(ReportSerializer, request).validated_data["reason"]
        api.report(customer_id=request.user.pk, review_id=review_id, reason=reason)
        return Response(status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path(
        "reviews/products/<int:product_id>/",
        ProductReviewsView.as_view(),
        name="reviews-product-reviews",
    ),
    path(
        "reviews/products/<int:product_id>/rating/",
        RatingSummaryView.as_view(),
        name="reviews-rating",
    ),
    path("reviews/", ReviewListView.as_view(), name="reviews-list"),
    path("reviews/<int:review_id>/", ReviewDetailView.as_view(), name="reviews-detail"),
    path("reviews/<int:review_id>/vote/", VoteView.as_view(), name="reviews-vote"),
    path("reviews/<int:review_id>/report/", ReportView.as_view(), name="reviews-report"),
]
