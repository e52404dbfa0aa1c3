"""Pricing's copy of SKU placements, kept from catalog.product_changed.v1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from catalog.events import ProductChanged
from kernel import relay
from kernel.models import Delivery
from kernel.outbox import publish, publisher_database
from pricing.handlers import on_products_changed
from pricing.models import SkuPlacement

pytestmark = pytest.mark.django_db


#: Where the catalog's events and their deliveries are (its own database in split mode).
CATALOG_OUTBOX = publisher_database(ProductChanged.event_type)


def changed(**fields) -> ProductChanged:
    defaults = {
        "product_id": 5,
        "sku": "MUG",
        "slug": "mug",
        "title": "Mug",
        "variant_skus": ("MUG-S", "MUG-L"),
        "category_slugs": ("mugs", "kitchen"),
        "brand": "Acme",
    }
    return ProductChanged(**{**defaults, **fields})


def on_product_changed(event: ProductChanged) -> None:
    """One event delivered on its own (a batch of one)."""
    on_products_changed([event])


def placements() -> dict[str, tuple]:
    return {
        p.sku: (p.product_sku, tuple(p.category_slugs), p.brand) for p in SkuPlacement.objects.all()
    }


def test_the_relay_delivers_product_changes_to_pricing():
    publish(changed())
    relay.relay(dispatch=relay.deliver_due)
    delivery = Delivery.objects.using(CATALOG_OUTBOX).get(
        subscriber="pricing.sku_placement.product_changed"
    )
    assert delivery.status == (Delivery.Status.DELIVERED)
    assert placements() == {
        "MUG-S": ("MUG", ("mugs", "kitchen"), "Acme"),
        "MUG-L": ("MUG", ("mugs", "kitchen"), "Acme"),
    }


def test_repeated_delivery_writes_the_same_rows():
    on_product_changed(changed())
    first = placements()
    on_product_changed(changed())
    assert placements() == first
    assert SkuPlacement.objects.count() == 2


def test_a_move_and_a_dropped_variant_are_followed():
    on_product_changed(changed())
    on_product_changed(changed(variant_skus=("MUG-L",), category_slugs=("cups",), brand=None))
    assert placements() == {"MUG-L": ("MUG", ("cups",), "")}


def test_a_product_without_variants_is_placed_under_its_own_sku():
    on_product_changed(changed(variant_skus=()))
    assert set(placements()) == {"MUG"}


def test_an_older_change_delivered_late_leaves_the_newer_placement():
    earlier = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    later = earlier + timedelta(seconds=1)
    on_product_changed(changed(category_slugs=("cups",), changed_at=later))
    on_product_changed(changed(category_slugs=("mugs", "kitchen"), changed_at=earlier))
    assert placements() == {
        "MUG-S": ("MUG", ("cups",), "Acme"),
        "MUG-L": ("MUG", ("cups",), "Acme"),
    }
    assert set(SkuPlacement.objects.values_list("source_changed_at", flat=True)) == {later}


def test_out_of_order_deliveries_through_the_relay_end_at_the_newest_change():
    earlier = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    publish(changed(variant_skus=("MUG-L",), category_slugs=("cups",), changed_at=earlier))
    publish(changed(category_slugs=("mugs",), changed_at=earlier + timedelta(minutes=1)))
    relay.fan_out(database=CATALOG_OUTBOX, batch_size=10)
    older, newer = (
        Delivery.objects.using(CATALOG_OUTBOX)
        .filter(subscriber="pricing.sku_placement.product_changed")
        .order_by("pk")
    )
    relay.deliver(newer.pk, CATALOG_OUTBOX)
    relay.deliver(older.pk, CATALOG_OUTBOX)
    assert placements() == {
        "MUG-S": ("MUG", ("mugs",), "Acme"),
        "MUG-L": ("MUG", ("mugs",), "Acme"),
    }
    older.refresh_from_db()
    assert older.status == Delivery.Status.DELIVERED  # ignored, not failed and retried


def test_the_same_change_delivered_twice_is_applied_again_harmlessly():
    at = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    on_product_changed(changed(changed_at=at))
    on_product_changed(changed(changed_at=at))
    assert SkuPlacement.objects.count() == 2


def test_a_change_without_a_timestamp_is_applied_as_before():
    on_product_changed(changed(changed_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC)))
    on_product_changed(changed(category_slugs=("cups",)))
    assert {slugs for _, slugs, _ in placements().values()} == {("cups",)}


def test_a_batch_applies_the_latest_announcement_of_each_product():
    earlier = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    later = earlier + timedelta(minutes=1)
    on_products_changed(
        [
            changed(category_slugs=("cups",), changed_at=later),
            changed(product_id=6, sku="JUG", variant_skus=("JUG-1",), changed_at=earlier),
            changed(category_slugs=("mugs",), changed_at=earlier),  # older, later in the batch
        ]
    )
    assert placements() == {
        "MUG-S": ("MUG", ("cups",), "Acme"),
        "MUG-L": ("MUG", ("cups",), "Acme"),
        "JUG-1": ("JUG", ("mugs", "kitchen"), "Acme"),
    }
