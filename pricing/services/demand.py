"""Demand from orders: the units of each SKU sold recently, for demand-based experiments.

Pricing hears of orders through their events (``orders.order_placed.v1``
and ``orders.order_cancelled.v1``); orders does nothing for it. Each order
is stored once with its units per SKU; a cancelled order stops counting.
The rolling window (``PRICING_DEMAND_WINDOW_DAYS``) is applied when demand
is read (``pricing.experiments.units_sold``), so yesterday's orders leave
the window without a job having to run.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from kernel.databases import atomic
from pricing.models import DemandLine, DemandOrder


@atomic("pricing")
def demand_record(*, order_ref: str, units: Mapping[str, int], placed_at: datetime) -> None:
    """Order ``order_ref`` was placed with ``units`` per SKU; counted once per order."""
    order, _ = DemandOrder.objects.select_for_update().get_or_create(order_ref=order_ref)
    if order.placed_at is not None:
        return
    order.placed_at = placed_at
    order.save(update_fields=["placed_at"])
    DemandLine.objects.bulk_create(
        [DemandLine(order=order, sku=sku, units=n) for sku, n in units.items() if n > 0]
    )


@atomic("pricing")
def demand_cancel(*, order_ref: str) -> None:
    """Order ``order_ref`` was cancelled: its units no longer count (also if it comes later)."""
    DemandOrder.objects.update_or_create(order_ref=order_ref, defaults={"cancelled": True})
