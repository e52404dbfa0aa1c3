"""The public, in-process interface of pricing: keyword-only functions returning DTOs.

Other contexts never compute a price: they ask here. After a split this is
the one file that becomes an HTTP client.
"""

from __future__ import annotations

from commerce.shared.money import Money, validate_currency
from pricing import selectors, services
from pricing.dtos import UnitPrice


def prices_for(*, skus: list[str], currency: str) -> dict[str, UnitPrice]:
    """Batch read for listings: one query whatever the number of SKUs.

    SKUs without a price in ``currency`` are absent from the result (the
    storefront shows them as unavailable to buy).
    """
    validate_currency(currency)
    return selectors.unit_prices(skus=skus, currency=currency)


def set_price(*, sku: str, price: Money) -> None:
    services.price_set(sku=sku, price=price)
