"""Data that crosses the inventory boundary: frozen, slotted dataclasses. Stdlib only.

The errors inventory raises to its callers live here too, so that another
context can catch them while importing only what the boundary allows
(``inventory.api``/``dtos``/``events``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kernel.errors import DomainError


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


@dataclass(frozen=True, slots=True)
class Line:
    """``quantity`` units of ``sku``, as asked for by a cart or an order."""

    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class HeldLine:
    """Units of ``sku`` held (reserved or allocated) in one warehouse."""

    sku: str
    warehouse: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Reservation:
    """The holds of one owner (a cart, a checkout), all expiring together."""

    owner: str
    expires_at: datetime
    lines: tuple[HeldLine, ...]


@dataclass(frozen=True, slots=True)
class Allocation:
    """Units promised to an order, by warehouse (a line may be split)."""

    order_ref: str
    lines: tuple[HeldLine, ...]


@dataclass(frozen=True, slots=True)
class StockLevel:
    """The quantities of ``sku`` in one warehouse, as staff see them."""

    sku: str
    warehouse: str
    on_hand: int
    allocated: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.allocated - self.reserved


@dataclass(frozen=True, slots=True)
class Shortage:
    sku: str
    requested: int
    available: int

    @property
    def missing(self) -> int:
        return self.requested - self.available


class InventoryError(DomainError):
    """Base of the errors inventory raises to its callers (REST: a 400, see kernel/errors.py)."""

    field = "non_field_errors"


class InsufficientStock(InventoryError):
    """Not enough sellable units for one or more SKUs; nothing was changed."""

    def __init__(self, shortages: Iterable[Shortage]) -> None:
        self.shortages = tuple(shortages)
        described = ", ".join(
            f"{s.sku}: {s.requested} requested, {s.available} available" for s in self.shortages
        )
        super().__init__(f"insufficient stock ({described})")

    http_status = 409

    def http_body(self) -> dict[str, object]:
        return {
            "detail": "Not enough stock for this change.",
            "shortages": [
                {"sku": s.sku, "requested": s.requested, "available": s.available}
                for s in self.shortages
            ],
        }


class UnknownSku(InventoryError):
    """A SKU the catalog does not know."""

    def __init__(self, skus: Iterable[str]) -> None:
        self.skus = tuple(sorted(skus))
        super().__init__(f"unknown SKU: {', '.join(self.skus)}")

    def http_body(self) -> dict[str, object]:
        return {"sku": ["No product with this SKU in the catalog."]}


class UnknownWarehouse(InventoryError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"unknown warehouse: {code!r}")

    def http_body(self) -> dict[str, object]:
        return {"warehouse": ["No warehouse with this code."]}


class InvalidQuantity(InventoryError, ValueError):
    """A quantity that is not a positive whole number where one is needed."""


@dataclass(frozen=True, slots=True)
class LowStockReport:
    """SKUs at or below the low-stock threshold: how many, and the lowest first."""

    threshold: int
    total: int
    lowest: tuple[tuple[str, int], ...]
