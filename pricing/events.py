"""Versioned events pricing publishes. Stdlib only: they are a published schema."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class PriceChanged:
    """The base price of ``sku`` in ``currency`` was set; ``old_amount`` is None if new."""

    event_type: ClassVar[str] = "pricing.price_changed.v1"

    sku: str
    currency: str
    old_amount: Decimal | None
    new_amount: Decimal
    changed_at: datetime
