"""Catalog's REST endpoints, mounted under /api/v1/ by commerce/urls.py.

Read-only, public, and cacheable: every answer carries an ETag and a
Last-Modified derived from the catalog's version (selectors.catalog_version),
so a client's conditional GET gets a 304 when nothing changed (its answer
composed from cached reads, then compared: never a 304 for what is a 404 or
a 400). Answers are gzipped for clients that accept it
(public data: no BREACH risk, docs/api.md). A bad filter is a
400 naming the parameter.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.urls import path
from django.utils.cache import get_conditional_response
from django.utils.decorators import method_decorator
from django.utils.http import http_date, quote_etag
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import api
from catalog.serializers import (
    CategoryNodeSerializer,
    ProductDetailSerializer,
    ProductListPageSerializer,
)
from kernel.quantities import whole_number
from kernel.query import reads_query
from kernel.rest import PreconditionFailed, compressed_reads, existing_page

#: What a conditional read may answer besides its 200 (``_unless_unchanged``), in its schema.
CONDITIONAL_ANSWERS = {
    304: OpenApiResponse(description="Not Modified: the If-None-Match or If-Modified-Since "
                         "version is still current; no body."),
    412: OpenApiResponse(description="Precondition Failed: the If-Match or "
                         "If-Unmodified-Since version is no longer current."),
}  # fmt: skip


def _version(request):
    """Read once per request, for both the ETag and Last-Modified."""
    if not hasattr(request, "_catalog_version"):
        request._catalog_version = api.catalog_version()
    return request._catalog_version


def _etag(request, *args, **kwargs) -> str:
    tag = _version(request).tag
    return hashlib.sha256(f"{tag}|{request.get_full_path()}".encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    return _version(request).last_modified


def _unless_unchanged(view):
    """The view's answer with its ``ETag`` and ``Last-Modified``, or a 304 when the client
    holds it already (a 412 problem when its ``If-Match`` or ``If-Unmodified-Since`` does
    not hold). Asked after the view, and only of a 200: Django's ``condition`` asks
    before it, so ``If-None-Match: *`` or a recent ``If-Modified-Since`` made a missing
    product or a bad filter a 304 too (the validators are the catalog's, not the answer's).
    """

    @wraps(view)
    def answered(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        # Weak: the tag names the catalog's version, not the bytes, which gzip changes (Django's
        # gzip weakens a strong tag on the compressed 200 only, so the 304 after it said
        # "abc" where the 200 said W/"abc"; RFC 9110 wants the 304 to repeat the 200's).
        etag = "W/" + quote_etag(_etag(request))
        response.headers.setdefault("ETag", etag)
        last_modified = None
        if modified := _last_modified(request):
            last_modified = int(modified.timestamp())
            response.headers.setdefault("Last-Modified", http_date(last_modified))
        answer = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        if answer.status_code == PreconditionFailed.status_code:
            raise PreconditionFailed
        return answer

    return answered


cached = method_decorator(_unless_unchanged, "get")


@compressed_reads
@cached
class ProductListView(APIView):
    """Published products, filtered and paged.

    Filters: ``category`` (with its subcategories), ``brand`` (repeatable),
    ``attr_<code>`` (repeatable), ``price=LOW-HIGH``, ``in_stock``, ``q``;
    ``sort``, ``page``, ``per_page`` (12, 24, 48, 96).
    """

    @extend_schema(
        operation_id="catalog_products_list",
        responses={
            200: ProductListPageSerializer,
            404: api.LISTING_NOT_FOUND,
            **CONDITIONAL_ANSWERS,
        },
        parameters=api.listing_parameters(),
        description=f"Published products, filtered and paged. {api.LISTING_ATTRIBUTE_FILTERS}",
    )
    @reads_query
    def get(self, request, **kwargs):
        parsed = api.listing_query_from_params(
            params=dict(request.query_params.lists()), currency=settings.DEFAULT_CURRENCY
        )
        if parsed.errors:
            raise ValidationError(parsed.errors)
        if parsed.missing:
            raise NotFound("; ".join(parsed.missing.values()))
        query = parsed.query
        page = existing_page(api.listing(query=query, with_facets=False).page, query.page)
        return Response(ProductListPageSerializer(page, context={"request": request}).data)


@compressed_reads
@cached
class ProductDetailView(APIView):
    """One published product, by id or by slug (a former slug answers too)."""

    @extend_schema(
        operation_id="catalog_product_retrieve",
        responses={200: ProductDetailSerializer, **CONDITIONAL_ANSWERS},
    )
    def get(self, request, key: str, **kwargs):
        # An id is ASCII digits: ``str.isdigit`` also takes "\u00b9" (which ``int`` cannot
        # read) and other scripts' digits (which it reads, as an alias of that id).
        product_id = whole_number(key)
        product = (
            api.product_by_id(product_id=product_id)
            if product_id is not None
            else api.product_by_slug(slug=key)
        )
        if product is None:
            raise Http404("No such product.")
        return Response(ProductDetailSerializer(product).data)


@compressed_reads
@cached
class CategoryTreeView(APIView):
    """The category tree, each category with its children, in display order."""

    @extend_schema(
        operation_id="catalog_categories_tree",
        responses={200: CategoryNodeSerializer(many=True), **CONDITIONAL_ANSWERS},
    )
    def get(self, request, **kwargs):
        return Response(CategoryNodeSerializer(api.category_tree(), many=True).data)


urlpatterns = [
    path("catalog/products/", ProductListView.as_view(), name="catalog-products"),
    path("catalog/products/<str:key>/", ProductDetailView.as_view(), name="catalog-product"),
    path("catalog/categories/", CategoryTreeView.as_view(), name="catalog-categories"),
]
