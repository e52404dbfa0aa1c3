"""The public, in-process interface of the catalog: keyword-only functions returning DTOs.

Other contexts and the composition layer call only this module (and read
``dtos``/``events``). After a split it is the one file that becomes an HTTP
client.
"""

from __future__ import annotations

from catalog import selectors, services
from catalog.dtos import ProductDetail, ProductPage, ProductSummary


def product_by_slug(*, slug: str) -> ProductDetail | None:
    return selectors.product_detail(slug=slug)


def product_by_sku(*, sku: str) -> ProductDetail | None:
    return selectors.product_detail(sku=sku)


def products_by_sku(*, skus: list[str]) -> dict[str, ProductSummary]:
    """Batch read: one query whatever the number of SKUs; unknown SKUs are absent."""
    return selectors.product_summaries_by_sku(skus=skus)


def product_page(*, page: int, per_page: int) -> ProductPage:
    """A page of the product listing; out-of-range pages give the nearest page."""
    return selectors.product_page(page=page, per_page=per_page)


def upsert_category(*, slug: str, name: str, parent_slug: str | None = None) -> None:
    services.category_upsert(slug=slug, name=name, parent_slug=parent_slug)


def upsert_product(
    *, sku: str, title: str, slug: str, description: str, category_slug: str | None
) -> int:
    """Create or update a product by SKU; returns its id."""
    return services.product_upsert(
        sku=sku, title=title, slug=slug, description=description, category_slug=category_slug
    ).pk
