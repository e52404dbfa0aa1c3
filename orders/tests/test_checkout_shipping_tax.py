"""Shipping is taxed at the destination's rate: on the review page, the order and the charge."""

from decimal import Decimal
from typing import NamedTuple

import pytest

from accounts.dtos import PostalAddress
from kernel.money import Money
from orders.models import Order
from orders.tests.factories import BERLIN
from pricing import api as pricing_api

SAN_FRANCISCO = PostalAddress(
    full_name="Grace Hopper",
    line1="1 Market St",
    postal_code="94103",
    city="San Francisco",
    country="US",
    region="CA",
)


@pytest.fixture
def taxed(shop):
    """EUR prices include tax (DE 19 %); USD prices add it (US 8 %); TEA-1 in both."""
    pricing_api.set_tax_mode(currency="EUR", prices_include_tax=True)
    pricing_api.set_tax_mode(currency="USD", prices_include_tax=False)
    pricing_api.set_tax_rate(country="DE", tax_class="standard", rate=Decimal("0.19"))
    pricing_api.set_tax_rate(country="DE", tax_class="reduced", rate=Decimal("0.07"))
    pricing_api.set_tax_rate(country="US", tax_class="standard", rate=Decimal("0.08"))
    pricing_api.set_price(sku="TEA-1", price=Money(Decimal("12.50"), "USD"))


class Case(NamedTuple):
    currency: str
    address: PostalAddress
    shown: str  # the shipping tax under the shipping line of the review page
    tax: str
    grand_total: str


@pytest.mark.parametrize(
    "case",
    [
        # 25.00 goods incl. 3.99 tax; 4.90 shipping incl. 0.78 tax (19/119)
        Case("EUR", BERLIN, "incl. EUR 0.78 tax (19 %)", "4.77", "29.90"),
        # 25.00 goods + 2.00 tax; 4.90 shipping + 0.39 tax (8 %)
        Case("USD", SAN_FRANCISCO, "plus USD 0.39 tax (8 %)", "2.39", "32.29"),
    ],
    ids=["DE-inclusive", "US-exclusive"],
)
@pytest.mark.usefixtures("taxed")
def test_shipping_tax_is_shown_recorded_and_charged(client, settings, case):
    currency, address, shown, tax, grand_total = case
    settings.DEFAULT_CURRENCY = currency
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    details = {f"ship-{name}": value for name, value in address.as_dict().items()}
    details |= {"email": "g@example.com", "billing_same": "on", "shipping_method": "standard"}
    assert client.post("/checkout/", details)["Location"] == "/checkout/review/"

    review = client.get("/checkout/review/")
    text = review.content.decode()
    assert shown in text
    assert f"{currency} {tax}" in text
    assert f"Place order and pay {currency} {grand_total}" in text

    client.post("/checkout/place/", {"token": review.context["form"]["token"].value()})
    order = Order.objects.get()
    assert (order.currency, order.shipping_total) == (currency, Decimal("4.90"))
    assert (order.tax_total, order.grand_total) == (Decimal(tax), Decimal(grand_total))
    assert order.discount_total == 0
    client.post(
        f"/orders/{order.number}/pay/",
        {
            "attempt": "a" * 20,
            "provider": "sandbox",
            "card_number": "4242 4242 4242 4242",
            "exp_month": 12,
            "exp_year": 2040,
            "cvc": "123",
        },
    )
    assert order.payments.get().amount == Decimal(grand_total)
