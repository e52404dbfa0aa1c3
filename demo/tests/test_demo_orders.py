"""Demo orders: every state, three months of sales, planted co-purchases learnt, stock intact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import api as catalog_api
from demo import catalog_seed, orders_seed
from demo.pricing_seed import seed_pricing
from inventory import api as inventory_api
from kernel import relay
from kernel.tests.outboxes import event_count
from orders import api as orders_api
from recommendations import api as recommendations_api

#: Enough orders for every state to occur among the newest ones (the plan is deterministic).
COUNT = 400

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_catalog(monkeypatch):
    monkeypatch.setattr(catalog_seed, "PRODUCTS_PER_CATEGORY", 8)
    catalog_seed.seed_catalog_prices_stock(with_images=False)
    seed_pricing()
    relay.relay(dispatch=relay.deliver_due)  # pricing and recommendations learn the products


def _opening_stock() -> dict[str, int]:
    return {v.sku: v.stock for p in catalog_seed.demo_products() for v in p.variants}


def test_the_demo_orders_fill_every_state_teach_the_planted_pairs_and_keep_the_stock(
    small_catalog,
):
    """One seeding for all of it: the demo's orders are the slow part of the demo."""
    assert orders_seed.seed_orders(count=COUNT) == COUNT
    relay.relay(dispatch=relay.deliver_due)

    backlog = orders_api.order_backlog()
    assert sum(backlog.by_status.values()) == COUNT
    assert all(backlog.by_status.values()), backlog.by_status  # every status, each at least once
    assert backlog.awaiting_capture > 0
    assert backlog.awaiting_shipment > 0
    sales = orders_api.daily_sales(since=timezone.now() - timedelta(days=91))
    assert len({row.day for row in sales}) > 60
    assert {row.currency for row in sales} == {"EUR", "GBP", "USD"}
    assert len(orders_api.best_selling_skus(days=30, limit=8)) == 8
    # Open orders hold stock that was received for them: what is for sale is the opening stock.
    opening = _opening_stock()
    assert inventory_api.purchasable(skus=list(opening)) == opening

    pairs = orders_seed.planted_pairs(catalog_seed.demo_products())
    assert len(pairs) >= 3
    for first, second in pairs:
        for product, partner in ((first, second), (second, first)):
            product_id = catalog_api.product_by_sku(sku=product.sku).id
            row = recommendations_api.for_product(product_id=product_id).items
            bought_together = [item.sku for item in row if item.reason == "bought_together"]
            assert partner.sku in bought_together[:3], (product.sku, bought_together)


def test_a_second_run_adds_nothing(small_catalog):
    orders_seed.seed_orders(count=30)
    relay.relay(dispatch=relay.deliver_due)
    events = event_count()
    numbers = orders_api.existing_numbers(
        numbers=[order.number for order in orders_seed.plan(count=30, now=timezone.now())]
    )

    assert orders_seed.seed_orders(count=30) == 0
    catalog_seed.seed_catalog_prices_stock(with_images=False)  # the opening stock is not reset
    assert event_count() == events
    assert len(numbers) == 30
