"""The idempotent write API used by importers and the demo."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.outbox import published
from pricing import api
from pricing.dtos import PromotionSpec, SkuPrice, TargetSpec, TierSpec
from pricing.events import PromotionChanged
from pricing.models import PriceChange, Promotion, Voucher
from pricing.tests.conftest import eur

pytestmark = pytest.mark.django_db

SPEC = PromotionSpec(
    slug="tea",
    name="Tea",
    reason="10 % off tea",
    kind="tiered",
    tiers=(TierSpec(5, Decimal(10)), TierSpec(2, Decimal(5))),
    targets=(TargetSpec("category", "tea"), TargetSpec("sku", "MUG-1")),
)


def promotion_events() -> int:
    return published(PromotionChanged.event_type).count()


def test_upserting_the_same_promotion_twice_announces_it_once():
    api.upsert_promotion(spec=SPEC)
    api.upsert_promotion(spec=SPEC)
    assert promotion_events() == 1
    promotion = Promotion.objects.get()
    assert list(promotion.tiers.values_list("min_quantity", flat=True)) == [2, 5]
    api.upsert_promotion(
        spec=PromotionSpec(**{**_fields(SPEC), "targets": (TargetSpec("sku", "MUG-1"),)})
    )
    assert promotion_events() == 2
    assert list(promotion.targets.values_list("value", flat=True)) == ["MUG-1"]


def _fields(spec):
    return {name: getattr(spec, name) for name in spec.__dataclass_fields__}


def test_a_price_list_upsert_records_only_real_changes():
    api.upsert_price_list(
        name="Trade",
        customer_group="wholesale",
        prices=[SkuPrice("A", eur("5")), SkuPrice("B", eur("6"))],
    )
    api.upsert_price_list(
        name="Trade",
        customer_group="wholesale",
        prices=[SkuPrice("A", eur("5")), SkuPrice("B", eur("6"))],
    )
    assert PriceChange.objects.count() == 2
    api.upsert_price_list(
        name="Trade", customer_group="wholesale", prices=[SkuPrice("A", eur("4.50"))]
    )
    changes = set(PriceChange.objects.values_list("sku", "old_amount", "new_amount"))
    assert ("A", Decimal("5.000"), Decimal("4.500")) in changes
    assert ("B", Decimal("6.000"), None) in changes
    assert PriceChange.objects.count() == 4


def test_vouchers_are_upserted_by_normalized_code():
    api.upsert_promotion(spec=SPEC)
    api.upsert_voucher(code="tea10", promotion_slug="tea", usage_limit=5)
    api.upsert_voucher(code="TEA10 ", promotion_slug="tea", usage_limit=10)
    assert list(Voucher.objects.values_list("code", "usage_limit")) == [("TEA10", 10)]
    codes = api.ensure_voucher_batch(promotion_slug="tea", batch="b1", count=3, prefix="x-")
    assert api.ensure_voucher_batch(promotion_slug="tea", batch="b1", count=3) == codes
    assert len(codes) == 3
