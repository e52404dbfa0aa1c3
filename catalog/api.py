"""The public, in-process interface of the catalog: keyword-only functions returning DTOs.

Other contexts and the composition layer call only this module (and read
``dtos``/``events``). After a split it is the one file that becomes an HTTP
client.

SKUs: a product has a *product code* (``ProductDetail.sku``) and one or
more variants, each with its own sellable SKU (``variant_skus``). A
product without options has a single variant whose SKU is the product
code. Lookups "by SKU" accept either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from catalog import cache, naming, openapi, selectors, services
from catalog import params as listing_params
from catalog.dtos import (
    AttributeSpec,
    CatalogVersion,
    CategoryDetail,
    CategoryNode,
    ImageInput,
    ListingQuery,
    ListingResult,
    ParsedListingQuery,
    ProductDetail,
    ProductInput,
    ProductPage,
    ProductSummary,
    SkuName,
    UpsertReport,
)


def product_by_slug(*, slug: str, include_unpublished: bool = False) -> ProductDetail | None:
    """The product with this slug, or with this former slug (compare ``.slug`` to redirect).

    Shoppers' lookups (published products only) are cached (cache.py).
    """
    if include_unpublished:
        return selectors.product_detail(slug=slug, include_unpublished=True)
    return cache.product_detail(
        key=f"slug:{slug}", load=lambda: selectors.product_detail(slug=slug)
    )


def product_by_sku(*, sku: str, include_unpublished: bool = False) -> ProductDetail | None:
    """The product whose code or one of whose variants' SKU is ``sku`` (cached like by slug)."""
    if include_unpublished:
        return selectors.product_detail(sku=sku, include_unpublished=True)
    return cache.product_detail(key=f"sku:{sku}", load=lambda: selectors.product_detail(sku=sku))


#: Larger ids cannot be a product's (a 64-bit key) and must not reach the database.
LARGEST_PRODUCT_ID = 2**63 - 1


def product_by_id(*, product_id: int, include_unpublished: bool = False) -> ProductDetail | None:
    """The product with this id (None: none, or an id no product's key can hold)."""
    if not 0 < product_id <= LARGEST_PRODUCT_ID:
        return None
    return selectors.product_detail(product_id=product_id, include_unpublished=include_unpublished)


def product_details_by_id(*, ids: list[int]) -> dict[int, ProductDetail]:
    """Batch ``product_by_id`` (unpublished included); unknown ids are absent.

    For a context that keeps its own copy of products from the catalog's
    events (recommendations) and refreshes a batch of them at once: one
    query for the products (their documents), whatever their number.
    """
    return selectors.product_details_by_id(ids=ids)


def products_by_sku(
    *, skus: list[str], include_unpublished: bool = True
) -> dict[str, ProductSummary]:
    """Batch read, keyed by the SKUs asked for (codes or variant SKUs); unknown ones are absent.

    One query whatever the number of SKUs (and the category tree when it
    is not cached); a summary names its variants (``variant_name``) for
    the lines of carts and orders. Unpublished products are included by
    default: an order line may refer to an archived product. A shop window
    (best sellers) passes False to get only what shoppers may see now.
    """
    return selectors.product_summaries_by_sku(skus=skus, include_unpublished=include_unpublished)


def products_by_id(*, ids: list[int]) -> dict[int, ProductSummary]:
    """Batch read by product id; unknown ids are absent.

    No caller outside tests yet: its future caller is a context that keeps
    product ids from the catalog's events (``ProductChanged.product_id``),
    such as recommendations, and reads their summaries back in one batch.
    """
    return selectors.product_summaries_by_id(ids=ids)


def product_page(*, page: int, per_page: int) -> ProductPage:
    """A page of the published products by title; out-of-range pages give the nearest page."""
    return selectors.product_page(page=page, per_page=per_page)


def listing(*, query: ListingQuery, with_facets: bool = True) -> ListingResult:
    """Search, filter, sort and page published products; facets count the results.

    Cached per query until something a listing shows changes (cache.py).
    """
    return cache.listing(
        query=query,
        with_facets=with_facets,
        load=lambda: selectors.listing(query=query, with_facets=with_facets),
    )


def listing_query_from_params(
    *, params: Mapping[str, Sequence[str]], currency: str, default_per_page: int = 24
) -> ParsedListingQuery:
    """Parse request parameters (see catalog.params): the query and {param: error}."""
    return listing_params.parse(params, currency=currency, default_per_page=default_per_page)


def listing_parameters() -> list:
    """What ``listing_query_from_params`` reads, as drf-spectacular ``OpenApiParameter``s,
    for the schema of every endpoint that reads it (catalog/openapi.py)."""
    return openapi.parameters()


#: How ``attr_<code>`` filters are given, for those endpoints' descriptions
#: (their names are the merchant's codes, so no parameter lists them).
LISTING_ATTRIBUTE_FILTERS = openapi.ATTRIBUTE_FILTERS
#: Their 404: the ``category`` names none (``ParsedListingQuery.missing``).
LISTING_NOT_FOUND = openapi.NO_SUCH_CATEGORY


def category_tree() -> tuple[CategoryNode, ...]:
    return selectors.category_tree()


def category_by_slug(*, slug: str) -> CategoryDetail | None:
    """The category with this slug or former slug (compare ``.slug`` to redirect)."""
    return selectors.category_detail(slug=slug)


def catalog_version() -> CatalogVersion:
    """Changes whenever a listing could (ETag and Last-Modified of listings)."""
    return selectors.catalog_version()


def upsert_category(
    *, slug: str, name: str, parent_slug: str | None = None, position: int = 0
) -> None:
    services.category_upsert(slug=slug, name=name, parent_slug=parent_slug, position=position)


def upsert_product_type(*, slug: str, name: str, attributes: list[AttributeSpec]) -> None:
    """Create or update a product type; its attributes in display order (choices only added)."""
    services.product_type_upsert(slug=slug, name=name, attributes=attributes)


def upsert_products(
    *, products: list[ProductInput], dry_run: bool = False, skip_invalid: bool = False
) -> UpsertReport:
    """Create or update products and their variants by SKU, in bulk, in one transaction.

    A product whose input is invalid is reported in ``UpsertReport.errors``
    (row, column, reason); then nothing is written unless ``skip_invalid``.
    """
    return services.products_upsert(inputs=products, dry_run=dry_run, skip_invalid=skip_invalid)


def set_product_images(*, sku: str, images: list[ImageInput]) -> None:
    """Give product ``sku`` these images, in order (unchanged if they already are its images)."""
    services.product_images_replace(product_sku=sku, images=images)


def names_by_sku(*, skus: list[str]) -> dict[str, SkuName]:
    """Product title and variant label of each known SKU, for staff lists (three queries)."""
    return naming.names_by_sku(skus=skus)


def skus_named(*, text: str) -> list[str]:
    """SKUs whose product title or variant name contains ``text``, for staff searches."""
    return naming.skus_named(text=text)
