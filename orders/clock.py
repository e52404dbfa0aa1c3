"""The time orders writes on what happens to an order: now, or an imported step's moment.

Every service that dates a record (an order placed, a transition, a
shipment, a payment, a refund, a delivery) asks `now`. It is the wall
clock, except inside `recorded_at`, which only `orders.imports` uses: an
order imported from another system (or the demo's history) goes through
the same services, rules and events as a live one, but each step is dated
when it happened there. The events carry those dates too (``placed_at``,
``delivered_at``), so pricing's demand window and reviews' verified
purchases see the order's real history. Other contexts date their own
records (inventory's stock movements) when the import runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_recorded_at: ContextVar[datetime | None] = ContextVar("orders_recorded_at", default=None)


def now() -> datetime:
    """The moment to record: the imported step's, or the current time."""
    return _recorded_at.get() or timezone.now()


@contextmanager
def recorded_at(moment: datetime) -> Iterator[None]:
    """Date everything orders records inside the block at ``moment`` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("An imported step needs an aware datetime.")
    token = _recorded_at.set(moment)
    try:
        yield
    finally:
        _recorded_at.reset(token)
