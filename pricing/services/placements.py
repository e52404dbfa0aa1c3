"""Pricing's copy of where each SKU sits in the catalog, kept from catalog events.

Promotions and experiments target products and categories through it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from kernel.databases import atomic
from pricing import cache
from pricing.models import SkuPlacement


class Placement(NamedTuple):
    """Where the catalog says a product's SKUs sit (``ProductChanged``)."""

    product_id: int
    product_sku: str
    variant_skus: Collection[str]
    category_slugs: Collection[str]
    brand: str | None
    changed_at: datetime | None = None


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
    placement = Placement(product_id, product_sku, variant_skus, category_slugs, brand, changed_at)
    return bool(placements_record(placements=[placement]))


@atomic("pricing")
def placements_record(*, placements: list[Placement]) -> set[int]:
    """``placement_record`` for many announcements at once (a batch of the catalog's
    events), in a few statements whatever their number; return the ids of the
    products whose announcement was applied.

    Of several announcements of one product the latest wins, as if they had
    come one after the other.
    """
    latest = {placement.product_id: placement for placement in _in_order(placements)}
    applied = _newest_applied(set(latest))
    fresh = [
        placement
        for product_id, placement in sorted(latest.items())
        if not _stale(placement.changed_at, applied.get(product_id))
    ]
    if not fresh:
        return set()
    skus_of = {p.product_id: list(dict.fromkeys(p.variant_skus)) or [p.product_sku] for p in fresh}
    every_sku = [sku for skus in skus_of.values() for sku in skus]
    SkuPlacement.objects.filter(product_id__in=skus_of).exclude(sku__in=every_sku).delete()
    SkuPlacement.objects.bulk_create(
        [
            SkuPlacement(
                sku=sku,
                product_id=placement.product_id,
                product_sku=placement.product_sku,
                category_slugs=list(placement.category_slugs),
                brand=placement.brand or "",
                source_changed_at=placement.changed_at,
            )
            for placement in fresh
            for sku in skus_of[placement.product_id]
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
    return set(skus_of)


def _in_order(placements: list[Placement]) -> list[Placement]:
    """Oldest first (undated ones where they came): the last of a product's is its latest."""
    return sorted(
        placements, key=lambda p: (p.changed_at is not None, p.changed_at or datetime.min)
    )


def _newest_applied(product_ids: set[int]) -> dict[int, datetime]:
    """The newest ``changed_at`` applied to each product, its rows locked (in id order)."""
    newest: dict[int, datetime] = {}
    for product_id, at in (
        SkuPlacement.objects.select_for_update()
        .filter(product_id__in=product_ids)
        .order_by("pk")
        .values_list("product_id", "source_changed_at")
    ):
        if at is not None and (product_id not in newest or newest[product_id] < at):
            newest[product_id] = at
    return newest


def _stale(changed_at: datetime | None, newest_applied: datetime | None) -> bool:
    return changed_at is not None and newest_applied is not None and changed_at < newest_applied
