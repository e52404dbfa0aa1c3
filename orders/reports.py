"""Reads for staff reports (the back office's dashboard): sales per day, the backlog.

Each is one aggregate query, whatever the number of orders.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from kernel.money import Money
from orders.dtos import DailySales, OrderBacklog
from orders.lifecycle import SHIPPABLE
from orders.models import Order, OrderStatus, Payment


def daily_sales(*, since: datetime) -> list[DailySales]:
    """Sales per local day and currency of orders placed since ``since``, oldest day first.

    A sale is a placed order that was not cancelled, net of what was
    refunded; orders still waiting for payment count (the shop took them).
    """
    rows = (
        Order.objects.filter(placed_at__gte=since)
        .exclude(status=OrderStatus.CANCELLED)
        .annotate(day=TruncDate("placed_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "currency")
        .annotate(orders=Count("id"), revenue=Sum(F("grand_total") - F("refunded_total")))
        .order_by("day", "currency")
    )
    return [
        DailySales(
            day=row["day"],
            currency=row["currency"],
            orders=row["orders"],
            revenue=Money(row["revenue"], row["currency"]).rounded(),
        )
        for row in rows
    ]


def backlog() -> OrderBacklog:
    """Orders per status; authorized payments to capture; orders with goods left to ship."""
    by_status = dict(
        Order.objects.values("status").annotate(count=Count("id")).values_list("status", "count")
    )
    awaiting_capture = (
        Order.objects.filter(payments__status=Payment.Status.AUTHORIZED)
        .exclude(status=OrderStatus.CANCELLED)
        .distinct()
        .count()
    )
    return OrderBacklog(
        by_status={status: by_status.get(status, 0) for status in OrderStatus.values},
        awaiting_capture=awaiting_capture,
        awaiting_shipment=sum(by_status.get(status, 0) for status in SHIPPABLE),
    )
