"""Composed REST endpoints: one response built from several contexts."""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import api as catalog_api
from kernel.currency import currency_of
from kernel.rest import compressed_reads
from storefront import composition
from storefront.serializers import ProductPageSerializer, SearchResultSerializer
from storefront.shopper import shopper_of

SEARCH_PAGE_SIZE = 24


@compressed_reads
class ProductOfferView(APIView):
    """A product with each variant's price and availability.

    ``<sku>`` is the product code or the SKU of one of its variants: both
    answer with the whole product (a variant SKU is what a cart line holds).
    Prices are the caller's: signed-in customer and ``visitor_id`` cookie.
    ``recommendations`` are the product page's rows (null when recommendations
    did not answer in time), and the view counts towards the visitor's
    recently viewed.
    """

    @extend_schema(responses=ProductPageSerializer, operation_id="product_offer_retrieve")
    def get(self, request, sku: str, **kwargs):
        shopper = shopper_of(request)
        offer = composition.offer_by_sku(sku=sku, currency=currency_of(request), shopper=shopper)
        if offer is None:
            raise Http404("No product with this SKU.")
        suggestions = composition.suggestions_for(
            product_id=offer.product.id, currency=currency_of(request), shopper=shopper
        )
        return Response(ProductPageSerializer(offer, context={"suggestions": suggestions}).data)


@compressed_reads
class SearchView(APIView):
    """Search published products, with price and availability and facet counts.

    Parameters as on the storefront's search page (see catalog/params.py):
    ``q``, ``category``, ``brand``, ``attr_<code>``, ``price=LOW-HIGH``,
    ``in_stock``, ``sort``, ``page``, ``per_page``. A bad value is a 400
    naming the parameter.
    """

    @extend_schema(
        responses=SearchResultSerializer,
        operation_id="search",
        parameters=[OpenApiParameter("q", str, description="Words to search for")],
    )
    def get(self, request, **kwargs):
        parsed = catalog_api.listing_query_from_params(
            params=dict(request.query_params.lists()),
            currency=currency_of(request),
            default_per_page=SEARCH_PAGE_SIZE,
        )
        if parsed.errors:
            raise ValidationError(parsed.errors)
        offers = composition.offer_listing(query=parsed.query, shopper=shopper_of(request))
        return Response(SearchResultSerializer(offers, context={"request": request}).data)


urlpatterns = [
    path("products/<str:sku>/", ProductOfferView.as_view(), name="product-offer"),
    path("search/", SearchView.as_view(), name="search"),
]
