"""Versioned events pricing publishes. Stdlib only: they are a published schema.

A v1 event may gain fields with defaults, never lose or change one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class PriceChanged:
    """The base price of ``sku`` in ``currency`` was set; ``old_amount`` is None if new.

    Also published when only the compare-at price changed (then
    ``old_amount == new_amount``). Customer-group prices do not publish it:
    they are not shown on public, cached pages.
    """

    event_type: ClassVar[str] = "pricing.price_changed.v1"

    sku: str
    currency: str
    old_amount: Decimal | None
    new_amount: Decimal
    changed_at: datetime
    compare_at_amount: Decimal | None = None
    changed_by: str = ""


@dataclass(frozen=True, slots=True)
class PromotionChanged:
    """A promotion was created or edited (including switched off).

    Subscribers that show "on offer" badges or cache discounted prices
    re-read what they need for the listed SKUs, products and categories
    (an order-level promotion lists none: it concerns every basket).
    """

    event_type: ClassVar[str] = "pricing.promotion_changed.v1"

    promotion_id: int
    slug: str
    name: str
    reason: str
    is_active: bool
    requires_voucher: bool
    order_level: bool
    starts_at: datetime | None
    ends_at: datetime | None
    skus: tuple[str, ...]
    product_skus: tuple[str, ...]
    category_slugs: tuple[str, ...]
    changed_at: datetime
