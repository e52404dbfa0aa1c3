"""Versioned events inventory publishes. Stdlib only: they are a published schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class StockChanged:
    """The sellable quantity of ``sku`` changed."""

    event_type: ClassVar[str] = "inventory.stock_changed.v1"

    sku: str
    quantity: int
    changed_at: datetime
