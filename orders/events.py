"""Versioned events orders publishes. Stdlib only: they are a published schema.

``order_number`` is the order's reference for every other context (inventory
knows it as ``order_ref``). A v1 event may gain fields with defaults, never
lose or change one (that is a v2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class EventLine:
    sku: str
    quantity: int
    unit_price: Decimal = Decimal(0)
    experiment_variant: str = ""


@dataclass(frozen=True, slots=True)
class OrderPlaced:
    event_type: ClassVar[str] = "orders.order_placed.v1"

    order_number: str
    customer_id: int | None
    email: str
    currency: str
    grand_total: Decimal
    lines: tuple[EventLine, ...]
    placed_at: datetime


@dataclass(frozen=True, slots=True)
class OrderPaid:
    event_type: ClassVar[str] = "orders.order_paid.v1"

    order_number: str
    currency: str
    amount: Decimal
    provider: str


@dataclass(frozen=True, slots=True)
class OrderCancelled:
    """An order was cancelled (stock and vouchers are given back by calls, not by this event)."""

    event_type: ClassVar[str] = "orders.order_cancelled.v1"

    order_number: str
    reason: str
    lines: tuple[EventLine, ...]


@dataclass(frozen=True, slots=True)
class OrderShipped:
    """One shipment left; ``complete`` when nothing of the order is left to ship."""

    event_type: ClassVar[str] = "orders.order_shipped.v1"

    order_number: str
    shipment_id: int
    tracking_number: str
    carrier: str
    lines: tuple[EventLine, ...]
    complete: bool


@dataclass(frozen=True, slots=True)
class OrderRefunded:
    event_type: ClassVar[str] = "orders.order_refunded.v1"

    order_number: str
    refund_id: int
    currency: str
    amount: Decimal
    refunded_total: Decimal
    full: bool


@dataclass(frozen=True, slots=True)
class OrderDelivered:
    """The whole order reached the customer (e.g. reviews mark "verified purchase" from it).

    ``customer_id`` is None for a guest order; ``lines`` are every line of
    the order, whatever was refunded since.
    """

    event_type: ClassVar[str] = "orders.order_delivered.v1"

    order_number: str
    customer_id: int | None
    lines: tuple[EventLine, ...]
    delivered_at: datetime


@dataclass(frozen=True, slots=True)
class OrderAnnounced:
    """An order as it stands, published again (``manage.py announce_orders``); nothing happened.

    For subscribers rebuilding what they keep from ``order_placed`` and
    ``order_cancelled`` (pricing's demand, recommendations' baskets) after a
    restore, a split or an outage longer than the outbox keeps events.
    ``lines`` are the order's lines as placed. Nothing that acts for the
    customer (an e-mail) may subscribe: re-announcing is not ordering again.
    """

    event_type: ClassVar[str] = "orders.order_announced.v1"

    order_number: str
    lines: tuple[EventLine, ...]
    placed_at: datetime
    cancelled: bool
