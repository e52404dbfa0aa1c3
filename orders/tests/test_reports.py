"""Staff reports: sales per day and currency, and the backlog, in constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orders import api
from orders.models import Order, OrderStatus
from orders.tests.factories import eur, line, place

pytestmark = pytest.mark.django_db


def _placed(days_ago: int, status: str = OrderStatus.PENDING_PAYMENT, unit: str = "10.00"):
    order = place(line(f"TEA-{days_ago}", quantity=1, unit=unit), shipping="0")
    Order.objects.filter(pk=order.pk).update(
        placed_at=timezone.now() - timedelta(days=days_ago), status=status
    )
    return order


def test_sales_are_summed_per_day_net_of_refunds_without_cancelled_orders(
    django_assert_num_queries,
):
    _placed(0)
    refunded = _placed(0, OrderStatus.PARTIALLY_REFUNDED)
    Order.objects.filter(pk=refunded.pk).update(refunded_total="4.00")
    _placed(0, OrderStatus.CANCELLED)
    _placed(2, OrderStatus.PAID, unit="7.50")
    _placed(40)

    with django_assert_num_queries(1):
        sales = api.daily_sales(since=timezone.now() - timedelta(days=30))

    assert [(row.day, row.orders, row.revenue) for row in sales] == [
        (timezone.localdate() - timedelta(days=2), 1, eur("7.50")),
        (timezone.localdate(), 2, eur("16.00")),
    ]


def test_the_backlog_counts_orders_per_status_and_what_waits_for_staff(
    django_assert_num_queries,
):
    _placed(0)
    _placed(1, OrderStatus.PAID)
    _placed(1, OrderStatus.PARTIALLY_SHIPPED)
    _placed(3, OrderStatus.DELIVERED)

    with django_assert_num_queries(2):
        backlog = api.order_backlog()

    assert backlog.by_status[OrderStatus.PENDING_PAYMENT] == 1
    assert backlog.by_status[OrderStatus.REFUNDED] == 0
    assert backlog.awaiting_shipment == 2
    assert backlog.awaiting_capture == 0
