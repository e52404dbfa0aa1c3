"""Base prices, compare-at prices, customer-group price lists and the price history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kernel import eventcodec
from kernel.outbox import published
from kernel.tests.outboxes import event_count
from pricing import api
from pricing.dtos import Customer, QuoteContext, UnknownCurrency
from pricing.events import PriceChanged
from pricing.models import Price, PriceChange, PriceList, PriceListEntry
from pricing.services.price_lists import price_list_entry_save
from pricing.services.prices import price_set
from pricing.tests.conftest import eur

pytestmark = pytest.mark.django_db

WHOLESALE = Customer(customer_id=7, groups=("wholesale",))


def price_events() -> list[PriceChanged]:
    rows = published(PriceChanged.event_type).order_by("id")
    return [eventcodec.decode(PriceChanged, row.payload) for row in rows]


def test_setting_a_price_records_who_and_announces_old_and_new():
    api.set_price(sku="TEA-1", price=eur("10.00"), changed_by="importer")
    price_set(sku="TEA-1", price=eur("12.50"), changed_by="alice", changed_by_id=3)

    history = list(PriceChange.objects.order_by("id").values_list("old_amount", "new_amount"))
    assert history == [(None, Decimal("10.000")), (Decimal("10.000"), Decimal("12.500"))]
    last = PriceChange.objects.latest("id")
    assert (last.changed_by, last.changed_by_id, last.field) == ("alice", 3, "amount")
    assert [(e.old_amount, e.new_amount) for e in price_events()] == [
        (None, Decimal("10.000")),
        (Decimal("10.000"), Decimal("12.500")),
    ]


def test_setting_the_same_price_again_changes_nothing():
    api.set_price(sku="TEA-1", price=eur("10.00"))
    api.set_price(sku="TEA-1", price=eur("10.00"))
    assert PriceChange.objects.count() == 1
    assert len(price_events()) == 1


def test_compare_at_price_is_shown_and_its_change_is_history_too():
    api.set_price(sku="TEA-1", price=eur("8.00"))
    api.set_price(sku="TEA-1", price=eur("8.00"), compare_at=eur("10.00"))

    price = api.prices_for(skus=["TEA-1"], currency="EUR")["TEA-1"]
    assert (price.price, price.compare_at) == (eur("8.00"), eur("10.00"))
    assert PriceChange.objects.filter(field="compare_at_amount").count() == 1
    assert price_events()[-1].compare_at_amount == Decimal("10.000")


def test_setting_only_the_price_keeps_the_compare_at_while_it_is_still_above():
    api.set_price(sku="TEA-1", price=eur("8.00"), compare_at=eur("10.00"))
    api.set_price(sku="TEA-1", price=eur("8.00"))
    api.set_price(sku="TEA-1", price=eur("9.00"))
    assert api.prices_for(skus=["TEA-1"], currency="EUR")["TEA-1"].compare_at == eur("10.00")
    api.set_price(sku="TEA-1", price=eur("10.00"))
    assert api.prices_for(skus=["TEA-1"], currency="EUR")["TEA-1"].compare_at is None


@pytest.mark.parametrize(
    ("amount", "compare_at", "field"),
    [("9.999", None, "amount"), ("10.00", "9.00", "compare_at_amount")],
)
def test_invalid_prices_are_refused_before_anything_is_written(amount, compare_at, field):
    with pytest.raises(ValidationError) as excinfo:
        price_set(
            sku="TEA-1",
            price=eur(amount),
            compare_at=eur(compare_at) if compare_at else None,
        )
    assert field in excinfo.value.message_dict
    assert not Price.objects.exists()
    assert event_count() == 0


def wholesale_list(**window) -> PriceList:
    return PriceList.objects.create(name="Wholesale 2026", customer_group="wholesale", **window)


def test_a_group_price_list_lowers_the_price_for_its_customers_only():
    api.set_price(sku="TEA-1", price=eur("10.00"))
    price_list_entry_save(
        entry=PriceListEntry(price_list=wholesale_list(), sku="TEA-1", currency="EUR", amount=7)
    )

    retail = api.prices_for(skus=["TEA-1"], currency="EUR")["TEA-1"]
    trade = api.prices_for(skus=["TEA-1"], currency="EUR", customer=WHOLESALE)["TEA-1"]

    assert retail.price == eur("10.00")
    assert (trade.price, trade.compare_at, trade.price_list) == (
        eur("7.00"),
        eur("10.00"),
        "Wholesale 2026",
    )
    assert PriceChange.objects.filter(price_list__isnull=False).count() == 1


def test_a_group_price_above_the_base_price_is_ignored():
    api.set_price(sku="TEA-1", price=eur("10.00"))
    PriceListEntry.objects.create(
        price_list=wholesale_list(), sku="TEA-1", currency="EUR", amount=12
    )
    assert api.prices_for(skus=["TEA-1"], currency="EUR", customer=WHOLESALE)["TEA-1"].price == eur(
        "10.00"
    )


def test_price_lists_apply_only_within_their_validity_window():
    now = timezone.now()
    api.set_price(sku="TEA-1", price=eur("10.00"))
    price_list = wholesale_list(valid_from=now, valid_until=now + timedelta(days=7))
    PriceListEntry.objects.create(price_list=price_list, sku="TEA-1", currency="EUR", amount=7)

    def price_at(moment):
        context = QuoteContext(at=moment)
        return api.prices_for(skus=["TEA-1"], currency="EUR", customer=WHOLESALE, context=context)[
            "TEA-1"
        ].price

    assert price_at(now - timedelta(seconds=1)) == eur("10.00")
    assert price_at(now) == eur("7.00")
    assert price_at(now + timedelta(days=7)) == eur("10.00")


def test_prices_for_costs_the_same_queries_for_3_or_60_skus(uncached, django_assert_num_queries):
    wholesale = wholesale_list()
    for n in range(60):
        api.set_price(sku=f"SKU-{n}", price=eur("5.00"))
        PriceListEntry.objects.create(
            price_list=wholesale, sku=f"SKU-{n}", currency="EUR", amount=4
        )
    for count in (3, 60):
        skus = [f"SKU-{n}" for n in range(count)]
        with django_assert_num_queries(1):
            assert len(api.prices_for(skus=skus, currency="EUR")) == count
        # base prices, group prices, running experiments (none)
        with django_assert_num_queries(3):
            prices = api.prices_for(skus=skus, currency="EUR", customer=WHOLESALE)
        assert {p.price for p in prices.values()} == {eur("4.00")}


def test_unknown_currency_is_a_typed_error_naming_the_field():
    with pytest.raises(UnknownCurrency) as excinfo:
        api.prices_for(skus=["TEA-1"], currency="XYZ")
    assert excinfo.value.field == "currency"
