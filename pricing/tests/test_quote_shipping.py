"""A shipping charge on a quote: taxed at the country's standard rate, inside or on top."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.money import Money
from kernel.tests.queries import captured_queries
from pricing import api
from pricing.dtos import BasketLine, InvalidShipping, QuoteContext
from pricing.models import SkuTaxClass
from pricing.tests.conftest import eur, usd
from tests.builders import ten_percent_voucher

pytestmark = pytest.mark.usefixtures("shop")


def test_inclusive_shipping_carries_its_tax_inside_the_charge():
    SkuTaxClass.objects.create(sku="TEA-1", tax_class="reduced")
    quote = api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", shipping=eur("4.90"))
    # shipping is taxed at DE's standard 19 %, not the goods' reduced 7 %
    assert quote.shipping.amount == eur("4.90")
    assert (quote.shipping.tax_rate, quote.shipping.tax_class) == (Decimal("0.19"), "standard")
    assert quote.shipping.tax == eur("0.78")  # 4.90 x 19/119
    assert quote.tax == eur("0.65") + eur("0.78")
    assert quote.total == eur("14.90")
    assert (quote.subtotal, quote.discount_total) == (eur("10.00"), eur("0"))


def test_exclusive_shipping_adds_its_tax_on_top():
    quote = api.quote(lines=[BasketLine("PAN-1", 1)], currency="USD", shipping=usd("4.90"))
    assert (quote.shipping.amount, quote.shipping.tax) == (usd("4.90"), usd("0.39"))
    goods = api.quote(lines=[BasketLine("PAN-1", 1)], currency="USD")
    assert quote.tax == goods.tax + usd("0.39")
    assert quote.total == goods.total + usd("4.90") + usd("0.39")


def test_free_shipping_and_a_country_without_rates_carry_no_tax():
    free = api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", shipping=eur("0"))
    assert (free.shipping.amount, free.shipping.tax) == (eur("0"), eur("0"))
    fr = api.quote(
        lines=[BasketLine("TEA-1", 1)],
        currency="EUR",
        shipping=eur("4.90"),
        context=QuoteContext(country="FR"),
    )
    assert (fr.shipping.tax_rate, fr.tax, fr.total) == (Decimal(0), eur("0"), eur("14.90"))


def test_without_shipping_the_quote_is_unchanged():
    assert api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR").shipping is None


@pytest.mark.parametrize("shipping", [usd("4.90"), eur("-1.00")])
def test_a_shipping_charge_in_another_currency_or_below_zero_is_refused(shipping):
    with pytest.raises(InvalidShipping) as refused:
        api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", shipping=shipping)
    assert refused.value.field == "shipping"


def test_shipping_costs_no_query_more(django_assert_num_queries):
    """Shipping's rate is in the tax book the goods' rates come from."""
    api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR")  # warm caches (currency, tax mode)
    with captured_queries() as without:
        api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR")
    with django_assert_num_queries(len(without)):
        api.quote(lines=[BasketLine("TEA-1", 1)], currency="EUR", shipping=eur("4.90"))


@pytest.mark.parametrize(
    ("currency", "sku", "codes"), [("EUR", "TEA-1", ["TENOFF"]), ("USD", "PAN-1", [])]
)
def test_shipping_added_to_a_quote_is_the_quote_with_shipping_without_a_query(
    django_assert_num_queries, currency, sku, codes
):
    """Checkout prices the goods once, decides the charge on them, then adds it; the rate
    is in the tax book the goods' quote has just read (cached)."""
    ten_percent_voucher()
    lines = [BasketLine(sku, 3)]
    charge = Money(Decimal("4.90"), currency)
    goods = api.quote(lines=lines, currency=currency, voucher_codes=codes)
    with django_assert_num_queries(0):
        added = api.with_shipping(quote=goods, shipping=charge)
    assert added == api.quote(lines=lines, currency=currency, voucher_codes=codes, shipping=charge)


def test_shipping_is_added_once_and_in_the_quotes_currency():
    lines = [BasketLine("TEA-1", 1)]
    shipped = api.quote(lines=lines, currency="EUR", shipping=eur("4.90"))
    goods = api.quote(lines=lines, currency="EUR")
    for quote, charge in [(shipped, eur("1.00")), (goods, usd("4.90")), (goods, eur("-1.00"))]:
        with pytest.raises(InvalidShipping):
            api.with_shipping(quote=quote, shipping=charge)
