"""Tax settings: whether a currency's prices include tax, rates, and SKUs' tax classes."""

from __future__ import annotations

from decimal import Decimal

from pricing import cache
from pricing.models import CurrencyTaxMode, SkuTaxClass, TaxRate
from pricing.quoting import checked_currency


def tax_mode_set(*, currency: str, prices_include_tax: bool) -> None:
    """Whether prices in ``currency`` include tax; raises UnknownCurrency for a code it is not."""
    CurrencyTaxMode.objects.update_or_create(
        currency=checked_currency(currency), defaults={"prices_include_tax": prices_include_tax}
    )
    cache.taxes_changed()


def tax_rate_set(*, country: str, tax_class: str, rate: Decimal) -> None:
    if not Decimal(0) <= rate <= Decimal(1):
        raise ValueError("a tax rate is a fraction between 0 and 1, e.g. 0.19")
    TaxRate.objects.update_or_create(
        country=country.upper(), tax_class=tax_class, defaults={"rate": rate}
    )
    cache.taxes_changed()


def sku_tax_class_set(*, sku: str, tax_class: str) -> None:
    SkuTaxClass.objects.update_or_create(sku=sku, defaults={"tax_class": tax_class})
    cache.taxes_changed()
