"""Offer prices: one unit priced as a quote would, automatic promotions and their reasons."""

from decimal import Decimal

import pytest

from pricing import api
from pricing.dtos import BasketLine
from pricing.tests.conftest import eur, promotion, usd

pytestmark = pytest.mark.usefixtures("shop")

SKUS = ["TEA-1", "TEA-2", "PAN-1"]


def test_a_promoted_unit_costs_what_a_quote_of_one_unit_charges():
    promotion("tea-week", percent=Decimal(10), targets=[("category", "coffee-tea")],
              reason="10 % off coffee & tea")  # fmt: skip
    promotion("pan-off", kind="fixed", amount=Decimal(5), currency="EUR",
              targets=[("product", "PAN-1")], reason="EUR 5 off pans")  # fmt: skip
    offers = api.offer_prices(skus=SKUS, currency="EUR")
    for sku in SKUS:
        charged = api.quote(lines=[BasketLine(sku, 1)], currency="EUR").lines[0].total
        assert offers[sku].price == charged, sku
    assert offers["TEA-2"].price == eur("4.49")
    assert offers["TEA-2"].before == eur("4.99")
    assert offers["TEA-2"].reasons == ("10 % off coffee & tea",)
    assert offers["PAN-1"].reasons == ("EUR 5 off pans",)
    usd_offer = api.offer_prices(skus=["PAN-1"], currency="USD")["PAN-1"]
    assert usd_offer.price == usd_offer.before == usd("50.00")  # a EUR amount is not in USD


def test_codes_order_discounts_and_quantity_deals_are_not_in_a_single_unit_price():
    promotion("secret", percent=Decimal(50), requires_voucher=True,
              targets=[("category", "coffee-tea")])  # fmt: skip
    promotion("whole-order", percent=Decimal(10), scope="order")
    promotion("three-for-two", kind="buy_x_get_y", buy_quantity=2, get_quantity=1,
              targets=[("product", "PAN-1")])  # fmt: skip
    offers = api.offer_prices(skus=SKUS, currency="EUR")
    assert [(o.price, o.reasons) for o in offers.values()] == [
        (o.before, ()) for o in offers.values()
    ]


def test_a_fixed_number_of_queries_for_any_number_of_skus(django_assert_max_num_queries):
    promotion("tea-week", percent=Decimal(10), targets=[("category", "coffee-tea")])
    with django_assert_max_num_queries(6):
        api.offer_prices(skus=SKUS * 20, currency="EUR")
    assert set(api.offer_prices(skus=["NOPE", "TEA-1"], currency="EUR")) == {"TEA-1"}
