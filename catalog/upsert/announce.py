"""Announcing what happened to products: ``ProductChanged`` and any status transition.

Called inside the writing transaction after the product's row is
written, so ``changed_at`` orders two changes of one product as their
commits are ordered (see ``ProductChanged``). Used by the bulk upsert and
by every other write path of products (admin forms, bulk status changes,
category moves, deletions).

`products_announce` (``manage.py announce_products``) publishes every
product again as it is, for subscribers rebuilding their copy
(recommendations' profiles, pricing's SKU placements; docs/operations.md).
"""

from __future__ import annotations

from django.utils import timezone

from catalog import cache, categories
from catalog.events import ProductArchived, ProductChanged, ProductPublished
from catalog.models import Product
from kernel.databases import atomic
from kernel.outbox import announce_in_batches, publish


def _event_fields(
    product: Product, variant_skus: tuple[str, ...], category_slugs: tuple[str, ...]
) -> dict:
    return {
        "product_id": product.pk,
        "sku": product.sku,
        "slug": product.slug,
        "title": product.title,
        "variant_skus": variant_skus,
        "category_slugs": category_slugs,
        "brand": product.brand.name if product.brand else None,
    }


def events_of_write(
    *,
    product: Product,
    previous_status: str | None,
    variant_skus: tuple[str, ...],
    category_slugs: tuple[str, ...],
) -> list[ProductChanged | ProductPublished | ProductArchived]:
    """What happened to ``product``: always changed, and any status transition.

    The bulk upsert publishes a batch's events in batched inserts; one
    product's write publishes them with ``announce_written``.
    """
    fields = _event_fields(product, variant_skus, category_slugs)
    events = [ProductChanged(**fields, changed_at=timezone.now())]
    if product.status == previous_status:
        return events
    if product.status == Product.Status.PUBLISHED:
        events.append(ProductPublished(**fields, published_at=product.published_at))
    elif product.status == Product.Status.ARCHIVED:
        events.append(ProductArchived(**fields))
    return events


def announce_written(
    *,
    product: Product,
    previous_status: str | None,
    variant_skus: tuple[str, ...],
    category_slugs: tuple[str, ...],
) -> None:
    """Publish what happened to ``product`` (`events_of_write`)."""
    cache.products_changed([product.sku])
    for event in events_of_write(
        product=product,
        previous_status=previous_status,
        variant_skus=variant_skus,
        category_slugs=category_slugs,
    ):
        publish(event)


def _read_back(product: Product, tree: categories.Tree) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(variant SKUs, category path) of a stored product."""
    secondary = tuple(product.secondary_categories.values_list("pk", flat=True))
    return (
        tuple(product.variants.values_list("sku", flat=True)),
        tree.membership_path(product.category_id, secondary),
    )


def announce_saved(
    *, product: Product, previous_status: str | None, tree: categories.Tree | None = None
) -> None:
    """Announce a product saved through a form (admin): read its variants and categories."""
    variant_skus, category_slugs = _read_back(product, tree or categories.load())
    announce_written(
        product=product,
        previous_status=previous_status,
        variant_skus=variant_skus,
        category_slugs=category_slugs,
    )


def announce_removed(*, product: Product, tree: categories.Tree) -> None:
    """A product about to be deleted: subscribers stop selling it as if archived."""
    cache.products_changed([product.sku])
    publish(ProductArchived(**_event_fields(product, *_read_back(product, tree))))


def products_announce() -> int:
    """Publish ``ProductChanged`` for every product as it is now; returns how many.

    One transaction per batch, locking its products before announcing them:
    an edit saved meanwhile either committed first, and is what is
    announced, or waits and is announced again after, so it still wins at
    the subscribers (they keep the newest ``changed_at``).
    """
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    return announce_in_batches(ids, _announce_batch)


@atomic("catalog")
def _announce_batch(ids: list[int]) -> None:
    tree = categories.load()
    products = Product.objects.filter(pk__in=ids).select_related("brand").order_by("pk")
    for product in products.select_for_update(of=("self",)):
        announce_saved(product=product, previous_status=product.status, tree=tree)
