"""Read queries of the catalog, with constant query counts."""

from __future__ import annotations

from django.core.paginator import Paginator

from catalog.dtos import CategoryRef, ProductDetail, ProductPage, ProductSummary
from catalog.models import Product


def _category_ref(product: Product) -> CategoryRef | None:
    category = product.category
    return CategoryRef(slug=category.slug, name=category.name) if category else None


def _summary(product: Product) -> ProductSummary:
    return ProductSummary(
        id=product.pk,
        sku=product.sku,
        title=product.title,
        slug=product.slug,
        category=_category_ref(product),
    )


def product_detail(*, slug: str | None = None, sku: str | None = None) -> ProductDetail | None:
    """The product with this slug or SKU (exactly one of them), or None."""
    lookup = {"slug": slug} if sku is None else {"sku": sku}
    product = Product.objects.select_related("category").filter(**lookup).first()
    if product is None:
        return None
    return ProductDetail(
        id=product.pk,
        sku=product.sku,
        title=product.title,
        slug=product.slug,
        description=product.description,
        category=_category_ref(product),
    )


def product_summaries_by_sku(*, skus: list[str]) -> dict[str, ProductSummary]:
    products = Product.objects.select_related("category").filter(sku__in=skus)
    return {product.sku: _summary(product) for product in products}


def product_page(*, page: int, per_page: int) -> ProductPage:
    paginator = Paginator(
        Product.objects.select_related("category").order_by("title", "pk"), per_page
    )
    current = paginator.get_page(page)
    return ProductPage(
        items=tuple(_summary(product) for product in current.object_list),
        number=current.number,
        page_count=paginator.num_pages,
        total=paginator.count,
    )
