"""Demand counted from orders' events: units sold per SKU over a rolling window,
cancelled orders taken away, each order counted once in any delivery order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pricing.experiments import units_sold
from pricing.services.demand import demand_cancel, demand_record


@pytest.fixture
def now():
    return timezone.now()


def test_units_add_up_per_sku_over_orders(db, now):
    demand_record(order_ref="A", units={"TEA-1": 2, "TEA-2": 1}, placed_at=now)
    demand_record(order_ref="B", units={"TEA-1": 3}, placed_at=now)
    assert units_sold(skus=["TEA-1", "TEA-2", "TEA-3"]) == {"TEA-1": 5, "TEA-2": 1}


def test_orders_older_than_the_window_no_longer_count(db, now, settings):
    settings.PRICING_DEMAND_WINDOW_DAYS = 7
    demand_record(order_ref="OLD", units={"TEA-1": 9}, placed_at=now - timedelta(days=8))
    demand_record(order_ref="NEW", units={"TEA-1": 1}, placed_at=now - timedelta(days=6))
    assert units_sold(skus=["TEA-1"]) == {"TEA-1": 1}
    settings.PRICING_DEMAND_WINDOW_DAYS = 30
    assert units_sold(skus=["TEA-1"]) == {"TEA-1": 10}


def test_an_order_counts_once_and_not_after_its_cancellation(db, now):
    demand_record(order_ref="A", units={"TEA-1": 2}, placed_at=now)
    demand_record(order_ref="A", units={"TEA-1": 2}, placed_at=now)
    assert units_sold(skus=["TEA-1"]) == {"TEA-1": 2}
    demand_cancel(order_ref="A")
    assert units_sold(skus=["TEA-1"]) == {}


def test_a_cancellation_delivered_before_its_order_keeps_it_from_counting(db, now):
    demand_cancel(order_ref="A")
    demand_record(order_ref="A", units={"TEA-1": 2}, placed_at=now)
    assert units_sold(skus=["TEA-1"]) == {}
