"""Read queries of pricing, with constant query counts."""

from __future__ import annotations

from pricing.dtos import UnitPrice
from pricing.models import Price


def unit_prices(*, skus: list[str], currency: str) -> dict[str, UnitPrice]:
    prices = Price.objects.filter(sku__in=skus, currency=currency)
    return {p.sku: UnitPrice(sku=p.sku, price=p.money) for p in prices}
