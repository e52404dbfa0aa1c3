"""Data that crosses the inventory boundary: frozen, slotted dataclasses. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StockStatus(StrEnum):
    IN_STOCK = "in_stock"
    LOW = "low"
    OUT = "out_of_stock"


@dataclass(frozen=True, slots=True)
class Availability:
    """What a shopper may know about the stock of ``sku``.

    ``quantity_shown`` is capped (INVENTORY_SHOWN_QUANTITY_CAP): shoppers see
    "10+" rather than the real count, which is competitors' business.
    """

    sku: str
    status: StockStatus
    quantity_shown: int

    @property
    def purchasable(self) -> bool:
        return self.status is not StockStatus.OUT
