"""The public, in-process interface of inventory: keyword-only functions returning DTOs.

After a split this is the one file that becomes an HTTP client.
"""

from __future__ import annotations

from inventory import selectors, services
from inventory.dtos import Availability


def availability(*, skus: list[str]) -> dict[str, Availability]:
    """Batch read: one query whatever the number of SKUs."""
    return selectors.availability(skus=skus)


def set_stock(*, sku: str, quantity: int) -> None:
    services.stock_set(sku=sku, quantity=quantity)
