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
from datetime import datetime
from decimal import Decimal

from catalog import params as listing_params
from catalog import selectors, services
from catalog.dtos import (
    CategoryDetail,
    CategoryNode,
    ListingQuery,
    ListingResult,
    ProductDetail,
    ProductInput,
    ProductPage,
    ProductSummary,
    UpsertReport,
    VariantInput,
)


def product_by_slug(*, slug: str, include_unpublished: bool = False) -> ProductDetail | None:
    """The product with this slug, or with this former slug (compare ``.slug`` to redirect)."""
    return selectors.product_detail(slug=slug, include_unpublished=include_unpublished)


def product_by_sku(*, sku: str, include_unpublished: bool = False) -> ProductDetail | None:
    """The product whose code or one of whose variants' SKU is ``sku``."""
    return selectors.product_detail(sku=sku, include_unpublished=include_unpublished)


def product_by_id(*, product_id: int, include_unpublished: bool = False) -> ProductDetail | None:
    return selectors.product_detail(product_id=product_id, include_unpublished=include_unpublished)


def products_by_sku(*, skus: list[str]) -> dict[str, ProductSummary]:
    """Batch read, keyed by the SKUs asked for (codes or variant SKUs); unknown ones are absent.

    A fixed number of queries whatever the number of SKUs. Unpublished
    products are included: an order line may refer to an archived product.
    """
    return selectors.product_summaries_by_sku(skus=skus)


def products_by_id(*, ids: list[int]) -> dict[int, ProductSummary]:
    """Batch read by product id; unknown ids are absent."""
    return selectors.product_summaries_by_id(ids=ids)


def product_page(*, page: int, per_page: int) -> ProductPage:
    """A page of the published products by title; out-of-range pages give the nearest page."""
    return selectors.product_page(page=page, per_page=per_page)


def listing(*, query: ListingQuery, with_facets: bool = True) -> ListingResult:
    """Search, filter, sort and page published products; facets count the results."""
    return selectors.listing(query=query, with_facets=with_facets)


def listing_query_from_params(
    *, params: Mapping[str, Sequence[str]], currency: str, default_per_page: int = 24
) -> tuple[ListingQuery, dict[str, str]]:
    """Parse request parameters (see catalog.params); returns the query and {param: error}."""
    return listing_params.parse(params, currency=currency, default_per_page=default_per_page)


def category_tree() -> tuple[CategoryNode, ...]:
    return selectors.category_tree()


def category_by_slug(*, slug: str) -> CategoryDetail | None:
    """The category with this slug or former slug (compare ``.slug`` to redirect)."""
    return selectors.category_detail(slug=slug)


def catalog_version() -> tuple[tuple, datetime | None]:
    """(version, last modified): the version changes whenever a listing could (HTTP caching)."""
    return selectors.catalog_version()


def upsert_category(
    *, slug: str, name: str, parent_slug: str | None = None, position: int = 0
) -> None:
    services.category_upsert(slug=slug, name=name, parent_slug=parent_slug, position=position)


def upsert_product_type(
    *, slug: str, name: str, attributes: list[tuple[str, str, str, bool, list[str]]]
) -> None:
    """``attributes``: (code, name, kind text|number|boolean|choice, is variant option, choices)."""
    services.product_type_upsert(slug=slug, name=name, attributes=attributes)


def upsert_products(
    *, products: list[ProductInput], dry_run: bool = False, skip_invalid: bool = False
) -> UpsertReport:
    """Create or update products and their variants by SKU, in bulk, in one transaction."""
    return services.products_upsert(inputs=products, dry_run=dry_run, skip_invalid=skip_invalid)


def upsert_product(
    *,
    sku: str,
    title: str,
    slug: str,
    description: str,
    category_slug: str | None,
    variant_skus: Sequence[str] = (),
) -> int:
    """Create or update one published product by SKU; returns its id.

    Raises ValueError listing the problems if the product is invalid.
    """
    report = services.products_upsert(
        inputs=[
            ProductInput(
                sku=sku,
                title=title,
                slug=slug,
                description=description,
                category=category_slug,
                variants=tuple(VariantInput(sku=s) for s in variant_skus),
            )
        ]
    )
    if report.errors:
        raise ValueError("; ".join(str(error) for error in report.errors))
    return selectors.product_detail(sku=sku, include_unpublished=True).id


def sellable_skus() -> list[str]:
    """Every variant SKU, in order (e.g. to rebuild the search projection)."""
    return selectors.sellable_skus()


def record_price(*, sku: str, currency: str, amount: Decimal, changed_at: datetime) -> None:
    """Feed the search projection a price (newest ``changed_at`` wins; normally from events)."""
    services.price_project(sku=sku, currency=currency, amount=amount, changed_at=changed_at)


def record_stock(*, sku: str, quantity: int, changed_at: datetime) -> None:
    """Feed the search projection a stock level (newest ``changed_at`` wins)."""
    services.stock_project(sku=sku, quantity=quantity, changed_at=changed_at)


def set_product_images(*, sku: str, images: list[tuple[str, bytes, str]]) -> None:
    """Give product ``sku`` these images (file name, content, alt text), in order."""
    services.product_images_replace(product_sku=sku, images=images)
