"""English at the root, German under /de/: pages, messages, form errors, e-mails and the switchers.

The language is the URL's alone (docs/decisions/0011-shopper-language-in-the-url.md):
no cookie or ``Accept-Language`` changes what an address shows, so a
cached page and a search engine's copy are always in the right language.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from kernel import relay
from kernel.currency import CURRENCY_COOKIE
from kernel.money import Money
from pricing import api as pricing_api
from tests.builders import offer_product, priced, sweater, upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(db):
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=9)
    pricing_api.set_price(sku="TEA-1", price=Money(Decimal("13.99"), "USD"))


def _customer() -> None:
    """A shopper account (signed in with the e-mail address as user name)."""
    get_user_model().objects.create_user(
        username="ada@example.com", email="ada@example.com", password="correct horse battery"
    )


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_shop_speaks_german_under_de_and_english_at_the_root(client, tea):
    german = _page(client, "/de/products/green-tea/")
    assert '<html lang="de">' in german
    assert "In den Warenkorb" in german
    assert "Auf Lager" in german
    assert 'action="/de/cart/add/"' in german  # links and forms stay in German
    # Numbers for machines stay machine-readable ("12.50", not German "12,50").
    assert '<meta property="product:price:amount" content="12.50">' in german
    english = _page(client, "/products/green-tea/")
    assert '<html lang="en">' in english
    assert "Add to cart" in english
    assert "In den Warenkorb" not in english


def test_only_the_url_chooses_the_language(client, tea):
    client.cookies["django_language"] = "de"
    assert "Add to cart" in _page(client, "/products/green-tea/")
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "All products" in home
    assert client.get("/api/v1/products/NOPE/", HTTP_ACCEPT_LANGUAGE="de").json()["detail"]


def test_every_page_names_its_other_language_for_shoppers_and_search_engines(client, tea):
    page = _page(client, "/de/search/?q=tea&sort=newest")
    assert '<link rel="alternate" hreflang="en" href="http://testserver/search/">' in page
    assert '<link rel="alternate" hreflang="de" href="http://testserver/de/search/">' in page
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/search/">' in page
    # The switcher keeps the shopper on the same results.
    assert 'href="/search/?q=tea&amp;sort=newest" hreflang="en" lang="en">English</a>' in page
    assert 'hreflang="de" lang="de" aria-current="true">Deutsch</a>' in page
    english = _page(client, "/products/green-tea/")
    assert 'href="/de/products/green-tea/" hreflang="de" lang="de">Deutsch</a>' in english
    assert '<link rel="canonical" href="http://testserver/de/products/green-tea/">' in _page(
        client, "/de/products/green-tea/"
    )


def test_the_currency_switcher_works_in_german_and_keeps_the_language(client, tea):
    response = client.post("/de/currency/", {"currency": "USD", "next": "/de/products/green-tea/"})
    assert response["Location"] == "/de/products/green-tea/"
    assert response.cookies[CURRENCY_COOKIE].value == "USD"
    page = _page(client, "/de/products/green-tea/")
    assert "13,99\u00a0$" in page  # as German writes an amount
    assert "In den Warenkorb" in page
    assert 'action="/de/currency/"' in page


def test_messages_and_form_errors_reach_the_shopper_in_german(client, tea):
    response = client.post("/de/cart/add/", {"sku": "TEA-1", "quantity": "20"}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/de/")
    assert (
        "Nur noch 9 vorrätig: Wir haben 9 in Ihren Warenkorb gelegt." in response.content.decode()
    )
    offer_product(sku="TEA-2", title="Black Tea", slug="black-tea", price="8.00", stock=9)
    added = client.post("/de/cart/add/", {"sku": "TEA-2", "quantity": "1"}, follow=True)
    assert "In den Warenkorb gelegt." in added.content.decode()
    cart = client.post("/de/cart/vouchers/", {"code": "NOPE"}, follow=True).content.decode()
    assert "NOPE: ist kein gültiger Code" in cart
    assert "Summe (ohne Versand)" in cart
    _customer()
    sign_in = client.post(
        "/de/account/sign-in/", {"username": "ada@example.com", "password": "wrong"}
    ).content.decode()
    assert "E-Mail oder Passwort ist falsch." in sign_in
    checkout = client.post("/de/checkout/", {"email": "not an address"}).content.decode()
    assert "Lieferadresse" in checkout
    assert "Deutschland" in checkout  # the country choices
    # Formally, as everywhere else, though DRF's catalogue says it informally.
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in checkout
    lookup = client.post("/de/orders/lookup/", {"number": "NOPE-1", "email": "a@example.com"})
    assert "Wir haben keine Bestellung mit dieser Nummer" in lookup.content.decode()


def test_a_password_reset_asked_for_in_german_is_written_in_german(client):
    _customer()
    client.post("/de/account/password-reset/", {"email": "ada@example.com"})
    (message,) = mail.outbox
    assert message.subject == "Ihr Commerce-Passwort zurücksetzen"
    assert "jemand (hoffentlich Sie)" in message.body
    assert "/de/account/" in message.body


def test_listing_filters_and_sort_options_are_german(client, tea):
    relay.relay(dispatch=relay.deliver_due)  # the search projection learns prices and stock
    page = _page(client, "/de/c/tea/")
    for words in ("Verfügbarkeit", "Preis", "Auf Lager", "10 bis 25 EUR", "Neueste", "1 Produkt"):
        assert words in page, words


def test_a_yes_no_attribute_of_the_product_page_is_german(client, structure):
    upsert(sweater(slug="wool-sweater"))
    priced("SW-1-M", "40.00")
    english = client.get("/products/wool-sweater/").content.decode()
    german = client.get("/de/products/wool-sweater/").content.decode()
    assert '<th scope="row">Organic</th><td>Yes</td>' in english
    assert '<th scope="row">Organic</th><td>Ja</td>' in german
