"""Pricing experiments: stable assignment, variant prices, fallbacks, results."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from pricing import api, cache, experiments
from pricing.dtos import BasketLine, Customer, ExperimentAssignment, QuoteContext
from pricing.models import (
    Experiment,
    ExperimentExposure,
    ExperimentSale,
    ExperimentVariant,
)
from pricing.services.demand import demand_record
from pricing.services.experiments import experiment_start, experiment_stop
from pricing.services.placements import placement_record
from pricing.tests.conftest import eur

pytestmark = pytest.mark.usefixtures("shop")


def visitor(n) -> QuoteContext:
    return QuoteContext(visitor_id=f"visitor-{n}")


@pytest.fixture
def tea_test():
    """Tea category: control, +5 % and a demand rule, a third of traffic each."""
    experiment = Experiment.objects.create(name="Tea", slug="tea-2026", category_slug="coffee-tea")
    ExperimentVariant.objects.create(experiment=experiment, key="control", weight=1)
    ExperimentVariant.objects.create(
        experiment=experiment, key="plus-5", weight=1, rule="percent", percent=Decimal(5)
    )
    ExperimentVariant.objects.create(
        experiment=experiment,
        key="demand",
        weight=1,
        rule="demand",
        percent=Decimal(10),
        demand_threshold=20,
    )
    return experiment_start(experiment=experiment)


def variant_of(n) -> str:
    quote = api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", context=visitor(n))
    return quote.lines[0].experiment.variant


def test_assignment_is_stable_and_follows_the_traffic_split(tea_test):
    keys = [f"visitor:{n}" for n in range(3000)]
    counts = Counter(
        experiments.choose_variant(
            list(tea_test.variants.all()), experiments.bucket("tea-2026", k)
        ).key
        for k in keys
    )
    assert set(counts) == {"control", "plus-5", "demand"}
    assert all(900 < count < 1100 for count in counts.values())
    assert [variant_of(7) for _ in range(3)] == [variant_of(7)] * 3


def find_visitor(variant: str) -> int:
    return next(n for n in range(200) if variant_of(n) == variant)


def test_the_same_price_on_the_listing_in_the_cart_and_at_checkout(tea_test):
    n = find_visitor("plus-5")
    listed = api.prices_for(skus=["TEA-1", "PAN-1"], currency="EUR", context=visitor(n))
    quote = api.quote(
        lines=[BasketLine("TEA-1", 2), BasketLine("PAN-1", 1)], currency="EUR", context=visitor(n)
    )
    tea, pan = (next(line for line in quote.lines if line.sku == s) for s in ("TEA-1", "PAN-1"))
    assert listed["TEA-1"].price == tea.unit_price == eur("10.50")
    assert tea.experiment == ExperimentAssignment("tea-2026", "plus-5")
    assert pan.experiment is None
    assert listed["PAN-1"].price == pan.unit_price == eur("50.00")


def test_the_demand_rule_raises_prices_only_under_high_demand(tea_test):
    n = find_visitor("demand")
    assert api.prices_for(skus=["TEA-1"], currency="EUR", context=visitor(n))["TEA-1"].price == eur(
        "10.00"
    )
    demand_record(order_ref="ORD-1", units={"TEA-1": 25}, placed_at=timezone.now())
    assert api.prices_for(skus=["TEA-1"], currency="EUR", context=visitor(n))["TEA-1"].price == eur(
        "11.00"
    )


def test_stopping_the_experiment_falls_back_to_the_base_price(tea_test):
    n = find_visitor("plus-5")
    experiment_stop(experiment=tea_test)
    quote = api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", context=visitor(n))
    assert (quote.lines[0].unit_price, quote.lines[0].experiment) == (eur("10.00"), None)


def test_a_failing_rule_falls_back_to_the_base_price_and_says_so(tea_test):
    n = find_visitor("plus-5")
    ExperimentVariant.objects.filter(key="plus-5").update(percent=None)  # broken config
    cache.experiments_changed()  # written past the services: they would forget it
    quote = api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", context=visitor(n))
    assert quote.lines[0].unit_price == eur("10.00")
    assert quote.lines[0].experiment == ExperimentAssignment("tea-2026", "plus-5", fell_back=True)


def test_shoppers_without_a_stable_id_and_group_customers_see_base_prices(tea_test):
    assert api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR").lines[0].experiment is None
    signed_in = api.quote(
        lines=[BasketLine("TEA-1", 1)], currency="EUR", customer=Customer(customer_id=3)
    )
    assert signed_in.lines[0].experiment is not None


def test_an_experiment_on_a_set_of_skus(tea_test):
    experiment_stop(experiment=tea_test)
    pans = Experiment.objects.create(name="Pans", slug="pans", skus=["PAN-1"])
    ExperimentVariant.objects.create(
        experiment=pans, key="minus-5", weight=1, rule="percent", percent=Decimal(-5)
    )
    experiment_start(experiment=pans)
    quote = api.quote(
        lines=[BasketLine("PAN-1", 1), BasketLine("TEA-1", 1)], currency="EUR", context=visitor(1)
    )
    assert [(line.sku, line.unit_price) for line in quote.lines] == [
        ("PAN-1", eur("47.50")),
        ("TEA-1", eur("10.00")),
    ]


def test_placed_orders_count_towards_the_results_once(tea_test):
    n = find_visitor("plus-5")
    quote = api.quote(
        lines=[BasketLine("TEA-1", 2), BasketLine("PAN-1", 1)], currency="EUR", context=visitor(n)
    )
    assert api.record_experiment_sales(order_ref="O-1", quote=quote) == 1
    api.record_experiment_sales(order_ref="O-1", quote=quote)
    sale = ExperimentSale.objects.get()
    assert (sale.variant_key, sale.sku, sale.quantity, sale.revenue) == (
        "plus-5",
        "TEA-1",
        2,
        Decimal("21.00"),
    )


def test_experiments_add_a_fixed_number_of_queries(uncached, tea_test, django_assert_num_queries):
    for n in range(30):
        api.set_price(sku=f"SKU-{n}", price=eur("1.00"))
    for size in (2, 30):
        skus = [f"SKU-{n}" for n in range(size)]
        # prices, experiments, variants, placements
        with django_assert_num_queries(4):
            api.prices_for(skus=skus, currency="EUR", context=visitor(1))


def test_quotes_note_each_shopper_once_per_variant_listings_do_not(tea_test):
    api.prices_for(skus=["TEA-1"], currency="EUR", context=visitor(1))
    assert not ExperimentExposure.objects.exists()
    for _ in range(3):
        api.quote(
            lines=[BasketLine("TEA-1", 1), BasketLine("TEA-2", 1)],
            currency="EUR",
            context=visitor(1),
        )
    api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", context=visitor(2))
    exposures = ExperimentExposure.objects.all()
    assert exposures.count() == 2
    assert all(len(e.shopper_hash) == 64 and "visitor" not in e.shopper_hash for e in exposures)


def test_a_quote_in_an_experiment_costs_the_same_queries_for_2_or_30_lines(
    uncached, tea_test, django_assert_max_num_queries
):
    skus = []
    for n in range(30):
        sku = f"TEA-X{n}"
        api.set_price(sku=sku, price=eur("1.00"))
        skus.append(sku)
    placement_record(
        product_id=9,
        product_sku="TEA-X0",
        variant_skus=skus,
        category_slugs=["coffee-tea"],
        brand=None,
    )
    counts = []
    for size in (2, 30):
        with django_assert_max_num_queries(20) as captured:
            quote = api.quote(
                lines=[BasketLine(s, 1) for s in skus[:size]], currency="EUR", context=visitor(1)
            )
        assert all(line.experiment for line in quote.lines)
        counts.append(len(captured))
    assert counts[0] == counts[1]
