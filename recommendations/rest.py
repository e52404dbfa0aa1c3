"""Recommendations's REST endpoints, mounted under /api/v1/ by commerce/urls.py.

Paths are named by this module (e.g. ``recommendations/...``), so the root URLconf
never changes when a context adds an endpoint.

- ``GET recommendations/products/<id>/``: the row for a product page (pins,
  bought together, similar), without recording a view: a client asking for
  suggestions is not a shopper looking at the product.
- ``GET recommendations/cart/?skus=A,B``: suggestions for a basket. The
  client sends the SKUs it holds rather than a cart token: recommendations
  may not read orders' carts, and a basket's SKUs are no secret.

Both are answers of an optional context: when it is switched off by
``FAULT_INJECTION`` they answer 503, never a 500.
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.faults import InjectedFault
from kernel.query import reads_query
from kernel.rest import read_query
from recommendations import api, selectors
from recommendations.serializers import (
    CartQuerySerializer,
    CartRecommendationsSerializer,
    ErrorSerializer,
    ProductRecommendationsSerializer,
    RowQuerySerializer,
)

BAD_QUERY = OpenApiResponse(
    description="A parameter is invalid; the body names it, e.g. "
    '``{"limit": ["Ensure this value is less than or equal to 50."]}``.'
)
UNAVAILABLE = OpenApiResponse(ErrorSerializer, description="Recommendations is switched off.")


#: Larger ids cannot be a product's (a 64-bit key) and must not reach the database.
MAX_PRODUCT_ID = 2**63 - 1


class Unavailable(APIException):
    status_code = 503
    default_detail = "Recommendations are unavailable."
    default_code = "unavailable"


class ProductRecommendationsView(APIView):
    """Products to suggest on a product's page, best first, each with its reason."""

    @extend_schema(
        operation_id="recommendations_for_product",
        parameters=[RowQuerySerializer],
        responses={
            200: ProductRecommendationsSerializer,
            400: BAD_QUERY,
            404: OpenApiResponse(ErrorSerializer, description="No product with this id."),
            503: UNAVAILABLE,
        },
    )
    @reads_query
    def get(self, request, product_id: int, **kwargs):
        limit = read_query(RowQuerySerializer, request).get("limit")
        if product_id > MAX_PRODUCT_ID or not selectors.product_known(product_id=product_id):
            raise Http404("No product with this id.")
        try:
            found = api.for_product(product_id=product_id, limit=limit)
        except InjectedFault as fault:
            raise Unavailable() from fault
        return Response(ProductRecommendationsSerializer(found).data)


class CartRecommendationsView(APIView):
    """Products to suggest for a basket, none of them in it."""

    @extend_schema(
        operation_id="recommendations_for_cart",
        parameters=[CartQuerySerializer],
        responses={200: CartRecommendationsSerializer, 400: BAD_QUERY, 503: UNAVAILABLE},
    )
    @reads_query
    def get(self, request, **kwargs):
        query = read_query(CartQuerySerializer, request)
        try:
            found = api.for_cart(skus=query["skus"], limit=query.get("limit"))
        except InjectedFault as fault:
            raise Unavailable() from fault
        return Response(CartRecommendationsSerializer(found).data)


urlpatterns = [
    path(
        "recommendations/products/<int:product_id>/",
        ProductRecommendationsView.as_view(),
        name="recommendations-product",
    ),
    path("recommendations/cart/", CartRecommendationsView.as_view(), name="recommendations-cart"),
]
