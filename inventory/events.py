"""Versioned events inventory publishes. Stdlib only: they are a published schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class StockChanged:
    """The sellable quantity of ``sku`` changed (over all warehouses).

    ``quantity`` is what can still be sold: on hand, less allocations and
    unexpired reservations. Published on every change of it: receipts,
    adjustments, reservations, allocations, releases, returns.
    ``changed_at`` is taken while the SKU's stock rows are locked, so for
    one SKU it grows in commit order: a subscriber may keep the newest and
    drop late arrivals.
    """

    event_type: ClassVar[str] = "inventory.stock_changed.v1"

    sku: str
    quantity: int
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class LowStock:
    """The sellable quantity of ``sku`` fell to ``threshold`` or below.

    Published once per crossing (from above the threshold to at or below
    it), not on every later change while it stays low.
    """

    event_type: ClassVar[str] = "inventory.low_stock.v1"

    sku: str
    quantity: int
    threshold: int
    occurred_at: datetime
