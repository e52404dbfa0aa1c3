"""Read queries of reviews, with constant query counts, returning DTOs.

A product's page of reviews costs four queries whatever its size: the
rating row, the count, the page, and the reader's own votes on that page.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Q, QuerySet

from reviews import cache
from reviews.dtos import (
    ModerationQueue,
    RatingSummary,
    ReviewPage,
    ReviewQuery,
    ReviewSort,
    ReviewStatus,
)
from reviews.dtos import Review as ReviewDTO
from reviews.models import ProductRating, Review, Vote

ORDERINGS = {
    ReviewSort.HELPFUL: [F("helpful_count").desc(), "not_helpful_count", "-created_at", "-pk"],
    ReviewSort.NEWEST: ["-created_at", "-pk"],
    ReviewSort.HIGHEST: ["-rating", "-created_at", "-pk"],
    ReviewSort.LOWEST: ["rating", "-created_at", "-pk"],
}


def review_dto(review: Review, viewer_vote: bool | None = None) -> ReviewDTO:
    return ReviewDTO(
        id=review.pk,
        product_id=review.product_id,
        product_sku=review.product_sku,
        product_title=review.product_title,
        product_slug=review.product_slug,
        customer_id=review.customer_id,
        author_name=review.author_name,
        rating=review.rating,
        title=review.title,
        body=review.body,
        pros=review.pros,
        cons=review.cons,
        status=ReviewStatus(review.status),
        rejection_reason=review.rejection_reason,
        verified_purchase=review.verified_purchase,
        helpful_count=review.helpful_count,
        not_helpful_count=review.not_helpful_count,
        staff_reply=review.staff_reply,
        staff_reply_at=review.staff_reply_at,
        created_at=review.created_at,
        updated_at=review.updated_at,
        viewer_vote=viewer_vote,
    )


def _summary(product_id: int, row: ProductRating | None) -> RatingSummary:
    if row is None:
        return RatingSummary(product_id=product_id, average=None, count=0, histogram=(0,) * 5)
    return RatingSummary(
        product_id=product_id, average=row.average, count=row.count, histogram=row.histogram
    )


def rating_summary(*, product_id: int) -> RatingSummary:
    return _summary(product_id, ProductRating.objects.filter(product_id=product_id).first())


def rating_summaries(*, product_ids: list[int]) -> dict[int, RatingSummary]:
    """Every asked product's summary (zero reviews included), in one query."""
    rows = {r.product_id: r for r in ProductRating.objects.filter(product_id__in=product_ids)}
    return {product_id: _summary(product_id, rows.get(product_id)) for product_id in product_ids}


def _published_of(product_id: int) -> QuerySet[Review]:
    return Review.objects.filter(product_id=product_id, status=ReviewStatus.PUBLISHED)


def product_reviews(
    *, product_id: int, query: ReviewQuery, viewer_id: int | None = None
) -> ReviewPage:
    """One page of the product's published reviews; ``query.stars`` keeps only that rating.

    Cached for every shopper (cache.py); with ``viewer_id``, their own votes marked, read
    fresh.
    """
    if viewer_id is None:
        return cache.product_page(
            product_id, query, lambda: _product_reviews(product_id, query, viewer_id=None)
        )
    return _product_reviews(product_id, query, viewer_id=viewer_id)


def _product_reviews(product_id: int, query: ReviewQuery, *, viewer_id: int | None) -> ReviewPage:
    reviews = _published_of(product_id)
    if query.stars is not None:
        reviews = reviews.filter(rating=query.stars)
    paginator = Paginator(reviews.order_by(*ORDERINGS[query.sort]), query.per_page)
    current = paginator.get_page(query.page)
    items = list(current.object_list)
    votes = {}
    if viewer_id is not None and items:
        votes = dict(
            Vote.objects.filter(review__in=items, customer_id=viewer_id).values_list(
                "review_id", "helpful"
            )
        )
    return ReviewPage(
        items=tuple(review_dto(review, votes.get(review.pk)) for review in items),
        summary=rating_summary(product_id=product_id),
        number=current.number,
        page_count=paginator.num_pages,
        total=paginator.count,
        query=query,
    )


def reviews_of_customer(*, customer_id: int) -> list[ReviewDTO]:
    """All of a customer's reviews, newest first, whatever their status (one query)."""
    return [review_dto(review) for review in Review.objects.filter(customer_id=customer_id)]


def review_of_customer(*, customer_id: int, product_id: int) -> ReviewDTO | None:
    review = Review.objects.filter(customer_id=customer_id, product_id=product_id).first()
    return review_dto(review) if review else None


def own_review(*, customer_id: int, review_id: int) -> ReviewDTO | None:
    review = Review.objects.filter(customer_id=customer_id, pk=review_id).first()
    return review_dto(review) if review else None


def moderation_queue() -> ModerationQueue:
    """The moderation queue's size, reported part and oldest review; one query."""
    row = Review.objects.filter(status=ReviewStatus.PENDING).aggregate(
        pending=Count("pk"),
        reported=Count("pk", filter=Q(report_count__gt=0)),
        oldest=Min("created_at"),
    )
    return ModerationQueue(
        pending=row["pending"], reported=row["reported"], oldest_pending_at=row["oldest"]
    )
