"""Data that crosses the pricing boundary: frozen, slotted dataclasses. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass

from commerce.shared.money import Money


@dataclass(frozen=True, slots=True)
class UnitPrice:
    """The price a shopper pays for one unit of ``sku``."""

    sku: str
    price: Money
