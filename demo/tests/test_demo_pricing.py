"""The demo pricing seed: idempotent, and showing each kind of offer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog import api as catalog_api
from demo.pricing_seed import seed_pricing
from kernel import relay
from kernel.money import Money
from kernel.tests.outboxes import event_count
from pricing import api as pricing_api
from pricing.dtos import BasketLine, Customer, VoucherRejected
from tests.builders import simple_product

pytestmark = pytest.mark.django_db


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


@pytest.fixture
def base_prices():
    catalog_api.upsert_category(slug="books", name="Books")
    simple_product(sku="BK-0001", title="Atlas", slug="atlas", category="books")
    relay.relay(dispatch=relay.deliver_due)  # pricing learns the book's category from the event
    for sku, amount in [("KI-0001", "100.00"), ("AU-0001", "204.00"), ("BK-0001", "10.00")]:
        for currency in ("EUR", "USD", "GBP"):
            pricing_api.set_price(sku=sku, price=Money(Decimal(amount), currency))


def test_seeding_twice_changes_nothing_the_second_time(base_prices):
    seed_pricing()
    events = event_count()
    seed_pricing()
    assert event_count() == events


def test_the_demo_shows_sale_prices_trade_prices_offers_and_vouchers(base_prices):
    seed_pricing()
    kitchen = pricing_api.prices_for(skus=["KI-0001"], currency="EUR")["KI-0001"]
    assert (kitchen.price, kitchen.compare_at) == (eur("100.00"), eur("125.00"))
    trade = pricing_api.prices_for(
        skus=["KI-0001"], currency="EUR", customer=Customer(customer_id=1, groups=("wholesale",))
    )["KI-0001"]
    assert trade.price == eur("85.00")

    quote = pricing_api.quote(
        lines=[BasketLine("AU-0001", 1), BasketLine("BK-0001", 3)],
        currency="EUR",
        voucher_codes=["WELCOME10"],
        customer=Customer(customer_id=1),
    )  # fmt: skip
    reasons = [d.reason for line in quote.lines for d in line.discounts]
    assert reasons == ["Flash sale: EUR 20 off", "Books: buy 2, get 1 free"]
    assert quote.order_discounts[0].reason == "Welcome: 10 % off your first order"
    with pytest.raises(VoucherRejected, match="expired on 1 October 2026"):
        pricing_api.quote(
            lines=[BasketLine("AU-0001", 1)], currency="EUR", voucher_codes=["SUMMER5"]
        )
    us = pricing_api.quote(lines=[BasketLine("AU-0001", 1)], currency="USD")
    assert (us.prices_include_tax, us.tax) == (False, Money(Decimal("14.79"), "USD"))
