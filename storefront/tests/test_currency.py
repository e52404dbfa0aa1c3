"""The currency switcher: every price on every page, the cart and checkout follow it."""

from decimal import Decimal

import pytest

from kernel.currency import CURRENCY_COOKIE
from kernel.money import Money
from pricing import api as pricing_api
from tests.builders import offer_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(db):
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=9)
    pricing_api.set_price(sku="TEA-1", price=Money(Decimal("13.99"), "USD"))
    pricing_api.set_price(sku="TEA-1", price=Money(Decimal("10.99"), "GBP"))


def _switch(client, currency: str, next_url: str = "/"):
    return client.post("/currency/", {"currency": currency, "next": next_url})


def test_switching_shows_listings_and_the_product_page_in_the_chosen_currency(client, tea):
    assert "EUR 12.50" in client.get("/products/green-tea/").content.decode()
    response = _switch(client, "USD", "/products/green-tea/")
    assert response["Location"] == "/products/green-tea/"
    assert response.cookies[CURRENCY_COOKIE].value == "USD"
    page = client.get("/products/green-tea/").content.decode()
    assert "USD 13.99" in page
    assert "EUR 12.50" not in page
    assert '<option value="USD" selected>' in page
    assert "GBP 10.99" in (_switch(client, "GBP") and client.get("/c/tea/").content.decode())
    assert client.get("/api/v1/products/TEA-1/").json()["price"]["currency"] == "GBP"


def test_an_unknown_currency_or_a_foreign_next_url_changes_nothing(client, tea):
    response = _switch(client, "XYZ", "https://evil.example/")
    assert response["Location"] == "/"
    assert CURRENCY_COOKIE not in response.cookies
    client.cookies[CURRENCY_COOKIE] = "XYZ"  # a tampered cookie: the default currency
    assert "EUR 12.50" in client.get("/products/green-tea/").content.decode()


def test_an_existing_cart_is_requoted_in_the_new_currency_without_price_change_notices(client, tea):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    assert "EUR 25.00" in client.get("/cart/").content.decode()
    _switch(client, "USD", "/cart/")
    cart = client.get("/cart/").content.decode()
    assert "USD 27.98" in cart
    assert "EUR" not in cart.split("<main")[1].split("</main>")[0]
    assert "since you added it" not in cart
    assert "USD 27.98" in client.get("/checkout/").content.decode()
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})  # still one cart, in USD
    assert "USD 41.97" in client.get("/cart/").content.decode()


def test_a_switch_posted_from_another_site_is_refused(client, tea):
    forged = client.post(
        "/currency/", {"currency": "USD", "next": "/"}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    assert CURRENCY_COOKIE not in forged.cookies
    own = client.post("/currency/", {"currency": "USD"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert own.cookies[CURRENCY_COOKIE].value == "USD"
