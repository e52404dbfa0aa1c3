"""Best sellers: units sold in paid orders of the last days, best first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders import api
from orders.models import Order, OrderStatus
from orders.tests.factories import line, place

pytestmark = pytest.mark.django_db


def _sold(*lines, status=OrderStatus.PAID, days_ago=1):
    order = place(*lines)
    Order.objects.filter(pk=order.pk).update(
        status=status, placed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_skus_rank_by_units_sold_in_paid_orders_of_the_period(django_assert_num_queries):
    _sold(line("TEA-1", quantity=1), line("TEA-2", quantity=3))
    _sold(line("TEA-1", quantity=1), line("TEA-3", quantity=2))
    _sold(line("TEA-3", quantity=1))
    _sold(line("TEA-4", quantity=9), status=OrderStatus.PENDING_PAYMENT)  # not paid
    _sold(line("TEA-5", quantity=9), status=OrderStatus.CANCELLED)
    _sold(line("TEA-6", quantity=9), days_ago=40)  # too long ago
    with django_assert_num_queries(1):
        ranked = api.best_selling_skus(days=30, limit=10)
    assert ranked == ["TEA-2", "TEA-3", "TEA-1"]  # TEA-2 and TEA-3 tie: by SKU
    assert api.best_selling_skus(days=30, limit=1) == ["TEA-2"]
