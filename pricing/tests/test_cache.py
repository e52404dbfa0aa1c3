"""Pricing's cached reads (pricing/cache.py): cached, and fresh after each change.

A warm read makes no query; the change's own service (the path that
publishes its event, or the admin for what has no event: tax) makes the
very next read fresh, without waiting for the relay.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from pricing import api
from pricing.dtos import BasketLine, ExperimentSpec, QuoteContext, VariantSpec
from pricing.models import TaxRate
from pricing.services.placements import placement_record
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


def tea_quote(**kwargs):
    return api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", **kwargs)


def test_a_warm_quote_with_shipping_reads_nothing(django_assert_num_queries):
    """Prices, promotions, experiments, placements, the tax book and tax classes: all cached."""
    tea_quote(shipping=eur("4.90"))
    with django_assert_num_queries(0):
        assert tea_quote(shipping=eur("4.90")).total == eur("14.90")


def test_changed_tax_rates_modes_and_classes_are_applied_at_once():
    assert tea_quote().lines[0].tax_rate == Decimal("0.19")
    api.set_tax_class(sku="TEA-1", tax_class="reduced")
    assert tea_quote().lines[0].tax_rate == Decimal("0.07")
    api.set_tax_rate(country="DE", tax_class="reduced", rate=Decimal("0.05"))
    assert tea_quote().lines[0].tax_rate == Decimal("0.05")
    api.set_tax_mode(currency="EUR", prices_include_tax=False)
    assert tea_quote().total == eur("10.50")


def test_a_tax_rate_staff_edit_in_the_admin_is_applied_at_once(admin_client):
    assert tea_quote().lines[0].tax_rate == Decimal("0.19")
    standard = TaxRate.objects.get(country="DE", tax_class="standard")
    change = reverse("admin:pricing_taxrate_change", args=[standard.pk])
    form = {"country": "DE", "tax_class": "standard", "rate": "0.2"}
    assert admin_client.post(change, form).status_code == 302
    assert tea_quote().lines[0].tax_rate == Decimal("0.2")
    delete = reverse("admin:pricing_taxrate_delete", args=[standard.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert tea_quote().lines[0].tax_rate == Decimal("0")


def test_a_sku_moved_to_another_category_is_targeted_at_once():
    promotion("kitchen-week", percent=Decimal(10), targets=[("category", "kitchen")])
    assert tea_quote().total == eur("10.00")
    placement_record(
        product_id=1,
        product_sku="TEA-1",
        variant_skus=["TEA-1", "TEA-2"],
        category_slugs=["kitchen"],
        brand=None,
    )
    assert tea_quote().total == eur("9.00")
