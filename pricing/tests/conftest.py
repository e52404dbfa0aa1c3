"""Fixtures and small builders shared by pricing's tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.money import Money
from pricing.models import CurrencyTaxMode, TaxRate
from pricing.services.placements import placement_record
from pricing.services.prices import price_set
from pricing.services.promotions import promotion_upsert


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def promotion(slug: str, *, targets=(), tiers=(), **fields):
    """A promotion with sensible defaults (combinable percentage on lines)."""
    defaults = {
        "name": slug,
        "reason": f"{slug} offer",
        "kind": "percentage",
        "scope": "lines",
    }
    return promotion_upsert(slug=slug, fields={**defaults, **fields}, targets=targets, tiers=tiers)


@pytest.fixture
def shop(db):
    """Three SKUs priced in EUR and USD; EUR tax-inclusive (DE 19 %/7 %), USD exclusive."""
    for sku, amount in [("TEA-1", "10.00"), ("TEA-2", "4.99"), ("PAN-1", "50.00")]:
        price_set(sku=sku, price=eur(amount))
        price_set(sku=sku, price=usd(amount))
    CurrencyTaxMode.objects.create(currency="EUR", prices_include_tax=True)
    CurrencyTaxMode.objects.create(currency="USD", prices_include_tax=False)
    TaxRate.objects.create(country="DE", tax_class="standard", rate=Decimal("0.19"))
    TaxRate.objects.create(country="DE", tax_class="reduced", rate=Decimal("0.07"))
    TaxRate.objects.create(country="US", tax_class="standard", rate=Decimal("0.08"))
    placement_record(
        product_id=1,
        product_sku="TEA-1",
        variant_skus=["TEA-1", "TEA-2"],
        category_slugs=["green-tea", "coffee-tea"],
        brand=None,
    )
    placement_record(
        product_id=2,
        product_sku="PAN-1",
        variant_skus=["PAN-1"],
        category_slugs=["kitchen"],
        brand="Acme",
    )
