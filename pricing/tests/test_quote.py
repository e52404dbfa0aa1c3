"""The quote interface: prices, tax, promotions and their stacking, typed errors."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pricing import api
from pricing.dtos import BasketLine, InvalidQuantity, QuoteContext, UnknownCurrency, UnknownSku
from pricing.models import SkuTaxClass
from pricing.tests.conftest import eur, promotion, usd

pytestmark = pytest.mark.usefixtures("shop")


def discounts(quote, sku):
    line = next(line for line in quote.lines if line.sku == sku)
    return [(d.promotion, d.amount) for d in line.discounts]


def test_tax_inclusive_prices_show_the_tax_portion_inside_the_total():
    quote = api.quote(lines=[BasketLine("TEA-1", 2)], currency="EUR")
    (line,) = quote.lines
    assert (line.unit_price, line.subtotal, line.total) == (
        eur("10.00"),
        eur("20.00"),
        eur("20.00"),
    )
    assert (quote.tax_country, line.tax_rate) == ("DE", Decimal("0.19"))
    assert quote.tax == eur("3.19")  # 20.00 x 19/119
    assert quote.total == eur("20.00")
    assert quote.prices_include_tax


def test_tax_exclusive_prices_add_tax_on_top_by_country_and_class():
    SkuTaxClass.objects.create(sku="TEA-1", tax_class="reduced")
    # the US has no reduced class: its standard rate applies (never under-collect)
    us = api.quote(lines=[BasketLine("TEA-1", 1), BasketLine("PAN-1", 1)], currency="USD")
    assert (us.tax, us.total) == (usd("4.80"), usd("64.80"))
    de = api.quote(
        lines=[BasketLine("TEA-1", 1), BasketLine("PAN-1", 1)],
        currency="EUR",
        context=QuoteContext(country="de"),
    )
    rates = {line.sku: line.tax_rate for line in de.lines}
    assert rates == {"TEA-1": Decimal("0.07"), "PAN-1": Decimal("0.19")}
    assert de.tax == eur("0.65") + eur("7.98")


def test_a_country_without_rates_shows_no_tax():
    quote = api.quote(
        lines=[BasketLine("TEA-1", 1)], currency="EUR", context=QuoteContext(country="FR")
    )
    assert quote.tax == eur("0")
    assert quote.total == eur("10.00")


def test_percentage_promotion_on_a_category_kept_from_catalog_events():
    promotion("tea-week", percent=Decimal(10), targets=[("category", "coffee-tea")])
    quote = api.quote(
        lines=[BasketLine("TEA-1", 2), BasketLine("TEA-2", 1), BasketLine("PAN-1", 1)],
        currency="EUR",
    )
    assert discounts(quote, "TEA-1") == [("tea-week", eur("2.00"))]
    assert discounts(quote, "TEA-2") == [("tea-week", eur("0.50"))]
    assert discounts(quote, "PAN-1") == []
    assert quote.lines[2].discounts[0].reason == "tea-week offer"
    assert quote.total == eur("72.49")


def test_product_target_covers_every_variant_and_fixed_amount_is_per_unit():
    promotion(
        "tea-off", kind="fixed", amount=Decimal(1), currency="EUR", targets=[("product", "TEA-1")]
    )
    quote = api.quote(lines=[BasketLine("TEA-1", 3), BasketLine("TEA-2", 1)], currency="EUR")
    assert discounts(quote, "TEA-1") == [("tea-off", eur("3.00"))]
    assert discounts(quote, "TEA-2") == [("tea-off", eur("1.00"))]
    # a fixed EUR amount does not apply to a USD basket
    assert discounts(api.quote(lines=[BasketLine("TEA-1", 3)], currency="USD"), "TEA-1") == []


def test_buy_two_get_one_free_and_tiered_volume_discount():
    promotion(
        "3for2", kind="buy_x_get_y", buy_quantity=2, get_quantity=1, targets=[("sku", "TEA-2")]
    )
    promotion(
        "volume",
        kind="tiered",
        targets=[("sku", "PAN-1")],
        tiers=[(2, Decimal(5)), (5, Decimal(10))],
    )
    quote = api.quote(lines=[BasketLine("TEA-2", 7), BasketLine("PAN-1", 5)], currency="EUR")
    assert discounts(quote, "TEA-2") == [("3for2", eur("9.98"))]  # 2 of 7 free
    assert discounts(quote, "PAN-1") == [("volume", eur("25.00"))]  # 10 % from 5 units
    assert discounts(api.quote(lines=[BasketLine("PAN-1", 1)], currency="EUR"), "PAN-1") == []


def test_stacking_exclusive_wins_by_priority_combinable_ones_add_up():
    promotion("ten", percent=Decimal(10), priority=1, targets=[("sku", "PAN-1")])
    promotion("five", percent=Decimal(5), priority=0, targets=[("sku", "PAN-1")])
    assert discounts(api.quote(lines=[BasketLine("PAN-1", 1)], currency="EUR"), "PAN-1") == [
        ("ten", eur("5.00")),
        ("five", eur("2.25")),  # 5 % of what is left (45.00)
    ]
    promotion(
        "flash", percent=Decimal(20), priority=5, stacking="exclusive", targets=[("sku", "PAN-1")]
    )
    assert discounts(api.quote(lines=[BasketLine("PAN-1", 1)], currency="EUR"), "PAN-1") == [
        ("flash", eur("10.00"))
    ]
    promotion(
        "flash", percent=Decimal(20), priority=-1, stacking="exclusive", targets=[("sku", "PAN-1")]
    )
    assert [
        p for p, _ in discounts(api.quote(lines=[BasketLine("PAN-1", 1)], currency="EUR"), "PAN-1")
    ] == [
        "ten",
        "five",
    ]


def test_order_promotion_is_shared_over_lines_for_tax():
    promotion("order-5", kind="fixed", scope="order", amount=Decimal(6), currency="EUR")
    quote = api.quote(lines=[BasketLine("TEA-1", 1), BasketLine("PAN-1", 1)], currency="EUR")
    assert [(d.promotion, d.amount) for d in quote.order_discounts] == [("order-5", eur("6.00"))]
    assert (quote.discount_total, quote.total) == (eur("6.00"), eur("54.00"))
    # shares 1.00 and 5.00: tax of 9.00 and 45.00 at 19 % included
    assert quote.tax == eur("1.44") + eur("7.18")


def test_promotions_outside_their_dates_or_inactive_do_not_apply():
    now = timezone.now()
    promotion(
        "later", percent=Decimal(10), starts_at=now + timedelta(days=1), targets=[("sku", "PAN-1")]
    )
    promotion("over", percent=Decimal(10), ends_at=now, targets=[("sku", "PAN-1")])
    promotion("off", percent=Decimal(10), is_active=False, targets=[("sku", "PAN-1")])
    assert discounts(api.quote(lines=[BasketLine("PAN-1", 1)], currency="EUR"), "PAN-1") == []
    context = QuoteContext(at=now + timedelta(days=2))
    assert discounts(
        api.quote(lines=[BasketLine("PAN-1", 1)], currency="EUR", context=context), "PAN-1"
    ) == [("later", eur("5.00"))]


def test_line_order_and_repeated_skus_do_not_change_the_quote():
    promotion(
        "3for2", kind="buy_x_get_y", buy_quantity=2, get_quantity=1, targets=[("sku", "TEA-2")]
    )
    one = api.quote(
        lines=[BasketLine("TEA-2", 2), BasketLine("PAN-1", 1), BasketLine("TEA-2", 1)],
        currency="EUR",
    )
    other = api.quote(lines=[BasketLine("PAN-1", 1), BasketLine("TEA-2", 3)], currency="EUR")
    assert one == other
    assert discounts(one, "TEA-2") == [("3for2", eur("4.99"))]


@pytest.mark.parametrize(
    ("lines", "currency", "error", "field"),
    [
        ([BasketLine("NOPE", 1)], "EUR", UnknownSku, "lines"),
        ([BasketLine("TEA-1", 1)], "XXX", UnknownCurrency, "currency"),
        ([BasketLine("TEA-1", 1)], "JPY", UnknownSku, "lines"),
        ([BasketLine("TEA-1", 0)], "EUR", InvalidQuantity, "lines"),
        ([BasketLine("TEA-1", -2)], "EUR", InvalidQuantity, "lines"),
        ([BasketLine("TEA-1", 1000)], "EUR", InvalidQuantity, "lines"),
        ([BasketLine("TEA-1", 600), BasketLine("TEA-1", 600)], "EUR", InvalidQuantity, "lines"),
        ([], "EUR", InvalidQuantity, "lines"),
    ],
)
def test_bad_input_is_a_typed_error_naming_the_field(lines, currency, error, field):
    with pytest.raises(error) as excinfo:
        api.quote(lines=lines, currency=currency)
    assert excinfo.value.field == field


def test_unknown_sku_error_lists_every_missing_sku():
    with pytest.raises(UnknownSku) as excinfo:
        api.quote(
            lines=[BasketLine("B", 1), BasketLine("TEA-1", 1), BasketLine("A", 1)], currency="EUR"
        )
    assert excinfo.value.skus == ("A", "B")


def test_a_quote_costs_the_same_queries_for_2_or_40_lines(uncached, django_assert_num_queries):
    promotion("tea-week", percent=Decimal(10), targets=[("category", "coffee-tea")])
    for n in range(40):
        api.set_price(sku=f"SKU-{n}", price=eur("3.00"))
    counts = []
    for size in (2, 40):
        lines = [BasketLine(f"SKU-{n}", 1) for n in range(size)]
        with django_assert_num_queries(8) as captured:
            api.quote(lines=lines, currency="EUR")
        counts.append(len(captured))
    assert counts[0] == counts[1]
