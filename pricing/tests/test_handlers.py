"""Pricing's copy of SKU placements, kept from catalog.product_changed.v1."""

from __future__ import annotations

import pytest

from catalog.events import ProductChanged
from commerce.shared import relay
from commerce.shared.models import Delivery
from commerce.shared.outbox import publish
from pricing.handlers import on_product_changed
from pricing.models import SkuPlacement

pytestmark = pytest.mark.django_db


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


def placements() -> dict[str, tuple]:
    return {
        p.sku: (p.product_sku, tuple(p.category_slugs), p.brand) for p in SkuPlacement.objects.all()
    }


def test_the_relay_delivers_product_changes_to_pricing():
    publish(changed())
    relay.relay(dispatch=relay.deliver)
    assert Delivery.objects.get(subscriber="pricing.sku_placement.product_changed").status == (
        Delivery.Status.DELIVERED
    )
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
