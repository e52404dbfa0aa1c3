"""Composed REST endpoints: one response built from several contexts."""

import functools
import json

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import api as catalog_api
from kernel.currency import currency_of
from kernel.query import reads_query
from kernel.rest import compressed_reads, existing_page
from storefront import composition, page_cache
from storefront.http_cache import price_segment_of
from storefront.serializers import (
    HomeFeedSerializer,
    ProductPageSerializer,
    SearchResultSerializer,
    SuggestionSerializer,
)
from storefront.shelves import home_shelves
from storefront.shopper import shopper_of, viewer_of

SEARCH_PAGE_SIZE = 24


@compressed_reads
class ProductOfferView(APIView):
    """A product with each variant's price and availability.

    ``<sku>`` is the product code or the SKU of one of its variants: both
    answer with the whole product (a variant SKU is what a cart line holds).
    Prices are the caller's: signed-in customer and ``visitor_id`` cookie.
    ``rating`` and the first ``reviews`` and the ``recommendations`` are the
    product page's (each null when its context did not answer in time, as
    the page leaves its section out).

    The view counts towards the visitor's recently viewed once the shop
    knows the visitor again: signed in, or sending the ``visitor_id``
    cookie it was given. A client that keeps no cookies is a new visitor on
    every request, whose history nobody would ever read; counting it would
    write a row per request of a surge. So such a request is answered what
    every new visitor of its price segment sees, which the shop keeps ready.

    When only the visitor's own recently viewed row does not come in time,
    it is empty and the rest of ``recommendations`` stands.
    """

    @extend_schema(responses=ProductPageSerializer, operation_id="product_offer_retrieve")
    def get(self, request, sku: str, **kwargs):
        shopper = shopper_of(request)
        currency = currency_of(request)
        if request.user.is_authenticated:
            data = self._offer(
                sku,
                currency,
                shopper,
                reader=request.user.pk,
                viewer=viewer_of(request),
            )
            return Response(data)

        def composed():
            data = self._offer(sku, currency, shopper, reader=None, viewer=None)
            return self.finalize_response(request, Response(data)).render()

        # An app that keeps its cookies (iOS's URLSession does unless told otherwise) is
        # answered the new visitors' kept detail with only its own row composed, as the
        # product page is (its row asked for apart): composing the whole detail for each of
        # its requests cost about thirty times the kept answer. A signed-in customer's is
        # composed whole (above): its reviews show which ones they voted on.
        segment_of = functools.partial(price_segment_of, request, shopper)
        kept = page_cache.served(request, segment_of, composed, early=True).page
        if not request.visitor_returning:
            return kept
        data = json.loads(kept.content)
        return Response(self._with_own_row(data, viewer_of(request), currency, shopper))

    def _with_own_row(self, data: dict, viewer: str | None, currency: str, shopper) -> dict:
        """Every new visitor's ``data`` with ``viewer``'s recently viewed row (the view
        counted); as it was when recommendations did not answer for the rest."""
        if data["recommendations"] is not None:
            row = composition.recently_viewed_for(
                product_id=data["id"], currency=currency, shopper=shopper, viewer=viewer
            )
            data["recommendations"]["recently_viewed"] = SuggestionSerializer(
                row or (), many=True
            ).data
        return data

    def _offer(self, sku: str, currency: str, shopper, *, reader: int | None, viewer: str | None):
        offer = composition.offer_by_sku(sku=sku, currency=currency, shopper=shopper)
        if offer is None:
            raise Http404("No product with this SKU.")
        suggestions = composition.suggestions_for(
            product_id=offer.product.id, currency=currency, shopper=shopper, viewer=viewer
        )
        reviews = composition.reviews_section(product=offer.product, params={}, viewer_id=reader)
        context = {"suggestions": suggestions, "reviews": reviews}
        return ProductPageSerializer(offer, context=context).data


@compressed_reads
class HomeFeedView(APIView):
    """The app's home screen: top categories, current promotions, new arrivals, best sellers.

    The home page's own shelves (storefront/shelves.py), always with their
    products: an app's home screen has no product list below them.
    """

    @extend_schema(responses=HomeFeedSerializer, operation_id="home_feed")
    def get(self, request, **kwargs):
        shelves = home_shelves(
            currency=currency_of(request), shopper=shopper_of(request), with_products=True
        )
        feed = {"categories": catalog_api.category_tree(), "shelves": shelves}
        return Response(HomeFeedSerializer(feed).data)


@compressed_reads
class SearchView(APIView):
    """Search published products, with price and availability and facet counts.

    Parameters as on the storefront's search page (see catalog/params.py),
    documented by the catalog's ``listing_parameters``. A bad value is a 400
    naming the parameter.
    """

    @extend_schema(
        responses={200: SearchResultSerializer, 404: catalog_api.LISTING_NOT_FOUND},
        operation_id="search",
        parameters=catalog_api.listing_parameters(),
        description="Published products with the caller's prices, availability and rating, "
        f"and facet counts. {catalog_api.LISTING_ATTRIBUTE_FILTERS}",
    )
    @reads_query
    def get(self, request, **kwargs):
        parsed = catalog_api.listing_query_from_params(
            params=dict(request.query_params.lists()),
            currency=currency_of(request),
            default_per_page=SEARCH_PAGE_SIZE,
        )
        if parsed.errors:
            raise ValidationError(parsed.errors)
        if parsed.missing:
            raise NotFound("; ".join(parsed.missing.values()))
        offers = composition.offer_listing(query=parsed.query, shopper=shopper_of(request))
        existing_page(offers.page, parsed.query.page)
        return Response(SearchResultSerializer(offers, context={"request": request}).data)


urlpatterns = [
    path("home/", HomeFeedView.as_view(), name="home-feed"),
    path("products/<str:sku>/", ProductOfferView.as_view(), name="product-offer"),
    path("search/", SearchView.as_view(), name="search"),
]
