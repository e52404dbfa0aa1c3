"""Write use cases of the catalog, each in one transaction, publishing events."""

from __future__ import annotations

from django.db import transaction

from catalog.events import ProductChanged
from catalog.models import Category, Product
from commerce.shared.outbox import publish


@transaction.atomic
def product_save(*, product: Product) -> Product:
    """Save a product edited elsewhere (admin form) and announce the change."""
    product.full_clean()
    product.save()
    publish(
        ProductChanged(
            product_id=product.pk,
            sku=product.sku,
            slug=product.slug,
            title=product.title,
            variant_skus=(product.sku,),
            category_slugs=_category_path(product.category),
        )
    )
    return product


def _category_path(category: Category | None) -> tuple[str, ...]:
    """The category's slug followed by its ancestors' (one query per level)."""
    slugs = []
    while category is not None:
        slugs.append(category.slug)
        category = category.parent
    return tuple(slugs)


@transaction.atomic
def category_upsert(*, slug: str, name: str, parent_slug: str | None = None) -> Category:
    parent = Category.objects.get(slug=parent_slug) if parent_slug else None
    category, _ = Category.objects.update_or_create(
        slug=slug, defaults={"name": name, "parent": parent}
    )
    return category


@transaction.atomic
def product_upsert(
    *, sku: str, title: str, slug: str, description: str, category_slug: str | None
) -> Product:
    """Create or update the product with ``sku``."""
    product = Product.objects.filter(sku=sku).first() or Product(sku=sku)
    category = Category.objects.get(slug=category_slug) if category_slug else None
    wanted = {"title": title, "slug": slug, "description": description, "category": category}
    if product.pk and all(getattr(product, field) == value for field, value in wanted.items()):
        return product  # nothing changed: no write, no event
    for field, value in wanted.items():
        setattr(product, field, value)
    return product_save(product=product)
