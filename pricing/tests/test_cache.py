"""Pricing's cached reads (pricing/cache.py): cached, and fresh after each change.

A warm read makes no query; the change's own service (the path that
publishes its event, or the admin for what has no event: tax) makes the
very next read fresh, without waiting for the relay.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pricing import api, price_import, selectors
from pricing.dtos import (
    BasketLine,
    Customer,
    ExperimentSpec,
    QuoteContext,
    Shopper,
    SkuPrice,
    VariantSpec,
)
from pricing.models import Experiment, PriceList, TaxRate
from pricing.price_import import PriceRow
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


def one_arm_experiment(slug: str, arm: str, percent: str) -> ExperimentSpec:
    """An experiment on TEA-1 whose one arm changes its price by ``percent``."""
    variant = VariantSpec(key=arm, weight=1, rule="percent", percent=Decimal(percent))
    return ExperimentSpec(slug=slug, name=slug.title(), skus=("TEA-1",), variants=(variant,))


def test_a_started_or_stopped_experiment_prices_at_once():
    plus = one_arm_experiment("tea-plus", "plus", "10")
    assert offer(context=VISITOR).price == eur("10.00")
    api.upsert_experiment(spec=plus, running=True)
    assert offer(context=VISITOR).price == eur("11.00")
    api.upsert_experiment(spec=plus, running=False)
    assert offer(context=VISITOR).price == eur("10.00")


def test_experiments_deleted_in_bulk_in_the_admin_price_at_once(admin_client):
    """The changelist's "delete selected" deletes through ``delete_queryset``."""
    api.upsert_experiment(spec=one_arm_experiment("tea-plus", "plus", "10"), running=True)
    assert offer(context=VISITOR).price == eur("11.00")
    selected = [str(pk) for pk in Experiment.objects.values_list("pk", flat=True)]
    changelist = reverse("admin:pricing_experiment_changelist")
    answer = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )
    assert answer.status_code == 302
    assert not Experiment.objects.exists()
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


TRADER = Customer(customer_id=7, groups=("wholesale",))


def trader_pays(sku: str = "TEA-1"):
    return api.prices_for(skus=SKUS, currency="EUR", customer=TRADER)[sku].price


def trade_list(amount: str, **window) -> None:
    api.upsert_price_list(
        name="Trade",
        customer_group="wholesale",
        prices=[SkuPrice("TEA-1", eur(amount))],
        **window,
    )


def test_a_group_s_list_prices_are_cached_and_each_change_is_read_at_once(
    django_assert_num_queries, admin_client
):
    trade_list("8.00")
    assert trader_pays() == eur("8.00")
    with django_assert_num_queries(0):  # base prices, the list's prices, promotions
        assert trader_pays() == eur("8.00")
    trade_list("7.00")  # the service
    assert trader_pays() == eur("7.00")
    price_import.apply([PriceRow(2, "TEA-1", "EUR", Decimal("6.50"), None, "Trade")])
    assert trader_pays() == eur("6.50")
    trade = PriceList.objects.get(name="Trade")
    entry = trade.entries.get()
    switched_off = {  # "is_active" left out: the box unticked
        "name": "Trade",
        "customer_group": "wholesale",
        **{f"valid_{edge}_{part}": "" for edge in ("from", "until") for part in (0, 1)},
        "entries-TOTAL_FORMS": "1",
        "entries-INITIAL_FORMS": "1",
        "entries-0-id": str(entry.pk),
        "entries-0-price_list": str(trade.pk),
        "entries-0-sku": "TEA-1",
        "entries-0-currency": "EUR",
        "entries-0-amount": "6.50",
    }
    change = reverse("admin:pricing_pricelist_change", args=[trade.pk])
    assert admin_client.post(change, switched_off).status_code == 302  # the admin
    assert trader_pays() == eur("10.00")


def test_a_cached_list_applies_within_its_window_and_names_its_edges():
    """The window is checked on every read, so the list starts and ends on time; a copy of a
    page of the group's segment is kept no longer than the next edge."""
    now = timezone.now()
    start, end = now + timedelta(hours=1), now + timedelta(hours=2)
    trade_list("8.00", valid_from=start, valid_until=end)

    def trader_pays_at(at):
        prices = selectors.unit_prices(skus=SKUS, currency="EUR", groups=("wholesale",), at=at)
        return prices["TEA-1"].price

    assert trader_pays_at(now) == eur("10.00")
    assert trader_pays_at(start) == eur("8.00")  # from the cache read just before
    assert trader_pays_at(end) == eur("10.00")
    traders = api.price_segment(shopper=Shopper(customer=TRADER), currency="EUR")
    guests = api.price_segment(shopper=Shopper(visitor_id="visitor-1"), currency="EUR")
    assert api.prices_hold_until(segment=traders) == start
    assert api.prices_hold_until(segment=guests) is None
    assert api.prices_hold_until() is None


def test_an_experiment_named_groups_never_reads_as_a_customer_group():
    """A guest in arm "wholesale" of an experiment "groups" and a customer of the group
    "wholesale" before it started see different prices: their segments differ."""
    traders = api.price_segment(shopper=Shopper(customer=TRADER), currency="EUR")
    trade_list("8.00", valid_from=timezone.now() + timedelta(hours=1))
    api.upsert_experiment(spec=one_arm_experiment("groups", "wholesale", "1"), running=True)
    guests = api.price_segment(shopper=Shopper(visitor_id="visitor-1"), currency="EUR")
    assert guests != traders
    assert api.prices_hold_until(segment=guests) is None
