"""Pricing's cached reads (pricing/cache.py): cached, and fresh after each change.

A warm read makes no query; the change's own service (the path that
publishes its event) makes the very next read fresh, without waiting for
the relay.
"""

from decimal import Decimal

import pytest

from pricing import api
from pricing.dtos import ExperimentSpec, QuoteContext, VariantSpec
from pricing.services.prices import price_set
from pricing.tests.conftest import eur, promotion

pytestmark = pytest.mark.usefixtures("shop")

SKUS = ["TEA-1", "TEA-2"]
VISITOR = QuoteContext(visitor_id="visitor-1")


def offer(sku: str = "TEA-1", context: QuoteContext | None = None):
    return api.offer_prices(skus=SKUS, currency="EUR", context=context)[sku]


def test_a_warm_offer_reads_nothing_and_a_new_price_is_read_at_once(
    django_assert_num_queries,
):
    offer(context=VISITOR)
    with django_assert_num_queries(0):  # base prices, promotions, experiments: all cached
        assert offer(context=VISITOR).price == eur("10.00")
    price_set(sku="TEA-1", price=eur("9.00"))
    assert offer(context=VISITOR).price == eur("9.00")


def test_a_price_nobody_had_is_read_once_it_is_set():
    assert "NEW-1" not in api.offer_prices(skus=["NEW-1"], currency="EUR")
    price_set(sku="NEW-1", price=eur("3.00"))
    assert api.offer_prices(skus=["NEW-1"], currency="EUR")["NEW-1"].price == eur("3.00")


def test_a_new_or_switched_off_promotion_is_applied_at_once():
    assert offer().price == eur("10.00")
    promotion("tea-day", percent=Decimal(10), targets=[("sku", "TEA-1")])
    assert offer().price == eur("9.00")
    promotion("tea-day", percent=Decimal(10), targets=[("sku", "TEA-1")], is_active=False)
    assert offer().price == eur("10.00")


def test_a_started_or_stopped_experiment_prices_at_once():
    plus = ExperimentSpec(
        slug="tea-plus",
        name="Tea plus",
        skus=("TEA-1",),
        variants=(VariantSpec(key="plus", weight=1, rule="percent", percent=Decimal(10)),),
    )
    assert offer(context=VISITOR).price == eur("10.00")
    api.upsert_experiment(spec=plus, running=True)
    assert offer(context=VISITOR).price == eur("11.00")
    api.upsert_experiment(spec=plus, running=False)
    assert offer(context=VISITOR).price == eur("10.00")
