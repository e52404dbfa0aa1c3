"""Pricing's copy of where each SKU sits in the catalog, kept from catalog events.

Promotions and experiments target products and categories through it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from kernel.databases import atomic
from pricing import cache
from pricing.models import SkuPlacement


@atomic("pricing")
def placement_record(
    *,
    product_id: int,
    product_sku: str,
    variant_skus: Collection[str],
    category_slugs: Collection[str],
    brand: str | None,
    changed_at: datetime | None = None,
) -> bool:
    """Make pricing's SKU → product/categories rows match what the catalog announced.

    Idempotent: a repeated event writes the same rows. SKUs the product no
    longer has are forgotten. Out-of-order safe: each row keeps the
    catalog's ``changed_at`` it was written from, and an announcement older
    than the newest one applied to the product is ignored. The product's
    rows are locked before they are compared, so two parallel deliveries
    for an already placed product apply one after the other. An announcement
    without ``changed_at`` (published before the catalog sent one) is applied
    as it comes. Returns whether it was applied.
    """
    applied = (
        SkuPlacement.objects.select_for_update()
        .filter(product_id=product_id)
        .order_by("pk")
        .values_list("source_changed_at", flat=True)
    )
    newest = max((at for at in applied if at is not None), default=None)
    if changed_at is not None and newest is not None and changed_at < newest:
        return False
    skus = list(dict.fromkeys(variant_skus)) or [product_sku]
    SkuPlacement.objects.filter(product_id=product_id).exclude(sku__in=skus).delete()
    SkuPlacement.objects.bulk_create(
        [
            SkuPlacement(
                sku=sku,
                product_id=product_id,
                product_sku=product_sku,
                category_slugs=list(category_slugs),
                brand=brand or "",
                source_changed_at=changed_at,
            )
            for sku in skus
        ],
        update_conflicts=True,
        unique_fields=["sku"],
        update_fields=[
            "product_id",
            "product_sku",
            "category_slugs",
            "brand",
            "source_changed_at",
            "updated_at",
        ],
    )
    cache.placements_changed()
    return True
