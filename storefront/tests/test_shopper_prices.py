"""What the storefront shows each shopper: their own prices, "was" prices,
and a page that survives pricing or inventory failing.

Prices come fresh from pricing on every request (only product information
is cached), so the tests warm the cache first and then look as another
shopper.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from inventory import api as inventory_api
from kernel.money import Money
from kernel.visitor import VISITOR_COOKIE, VISITOR_COOKIE_MAX_AGE
from pricing import api as pricing_api
from pricing.dtos import ExperimentSpec, OfferPrice, QuoteContext, SkuPrice, VariantSpec
from storefront import page_cache
from storefront.composition import _was
from tests.builders import priced, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")

PAGE = "/products/wool-sweater/"


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


@pytest.fixture
def priced_sweater():
    upsert(sweater(slug="wool-sweater"))
    for sku, amount, quantity in [
        ("SW-1-S", "40.00", 3),
        ("SW-1-M", "42.00", 9),
        ("SW-1-L", "44.00", 9),
    ]:
        priced(sku, amount, quantity)


def test_a_was_price_shows_struck_through_with_the_saving(client, priced_sweater):
    pricing_api.set_price(sku="SW-1-S", price=eur("40.00"), compare_at=eur("50.00"))
    card = client.get("/c/clothing/").content.decode()
    assert "<s>EUR 50.00</s>" in card
    assert "Save EUR 10.00" in card
    page = client.get(PAGE).content.decode()  # the first purchasable variant, S, is chosen
    assert "<s>EUR 50.00</s>" in page
    assert "Save EUR 10.00" in page


def test_a_compare_at_price_not_above_the_price_paid_is_not_shown():
    # Pricing refuses such a base price, but an experiment's or a group's
    # price can be above the compare-at price the base price keeps.
    assert _was(_offer("44.00", compare_at="42.00")) is None
    assert _was(_offer("42.00", compare_at="42.00")) is None
    assert _was(_offer("40.00", compare_at="42.00")) == eur("42.00")


def test_the_was_price_of_a_promoted_price_is_the_higher_of_compare_at_and_before():
    assert _was(_offer("36.00", before="40.00")) == eur("40.00")
    assert _was(_offer("36.00", before="40.00", compare_at="45.00")) == eur("45.00")
    assert _was(_offer("36.00", before="40.00", compare_at="38.00")) == eur("40.00")


def _offer(price: str, *, before: str | None = None, compare_at: str | None = None) -> OfferPrice:
    return OfferPrice(
        sku="X",
        price=eur(price),
        before=eur(before or price),
        compare_at=eur(compare_at) if compare_at else None,
    )


def test_the_product_endpoint_has_was_prices_and_savings(client, priced_sweater):
    pricing_api.set_price(sku="SW-1-M", price=eur("42.00"), compare_at=eur("49.50"))
    data = client.get("/api/v1/products/SW-1/").json()
    assert data["compare_at"] is None  # the cheapest variant (S) has no "was" price
    medium = data["variants"][1]
    assert medium["compare_at"] == {"amount": "49.50", "currency": "EUR"}
    assert medium["saving"] == {"amount": "7.50", "currency": "EUR"}
    assert data["variants"][0]["saving"] is None


def test_a_new_visitor_gets_a_lasting_private_visitor_id_cookie(client, priced_sweater):
    response = client.get("/")
    cookie = response.cookies[VISITOR_COOKIE]
    assert len(cookie.value) == 32
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == VISITOR_COOKIE_MAX_AGE == 365 * 24 * 3600
    assert "Cookie" in response["Vary"]
    assert VISITOR_COOKIE not in client.get(PAGE).cookies  # kept, not reissued


def test_a_malformed_visitor_id_is_replaced(client, priced_sweater):
    client.cookies[VISITOR_COOKIE] = "<script>" * 40
    replaced = client.get(PAGE).cookies[VISITOR_COOKIE].value
    assert len(replaced) == 32
    assert replaced.isalnum()


@pytest.fixture
def experiment(priced_sweater):
    pricing_api.upsert_experiment(
        spec=ExperimentSpec(
            slug="sweater-price",
            name="Sweater price",
            variants=(
                VariantSpec(key="control", weight=1),
                VariantSpec(key="minus-10", weight=1, rule="percent", percent=Decimal(-10)),
            ),
            skus=("SW-1-S", "SW-1-M", "SW-1-L"),
        ),
        running=True,
    )


def visitor_paying(amount: str) -> str:
    """A visitor id that the experiment prices SW-1-M at ``amount`` for."""
    for n in range(200):
        visitor_id = f"{n:032x}"
        prices = pricing_api.prices_for(
            skus=["SW-1-M"], currency="EUR", context=QuoteContext(visitor_id=visitor_id)
        )
        if prices["SW-1-M"].price == eur(amount):
            return visitor_id
    raise AssertionError(f"no visitor pays {amount}")


def test_visitors_in_different_experiment_variants_see_their_own_price_on_a_warm_page(
    client, experiment
):
    control, discounted = visitor_paying("42.00"), visitor_paying("37.80")
    client.cookies[VISITOR_COOKIE] = control
    assert "SKU SW-1-M" in client.get(PAGE + "?sku=SW-1-M").content.decode()  # warms the cache
    client.cookies[VISITOR_COOKIE] = discounted
    page = client.get(PAGE + "?sku=SW-1-M").content.decode()
    assert "EUR 37.80" in page
    assert "EUR 42.00" not in page
    assert client.get("/api/v1/products/SW-1-M/").json()["variants"][1]["price"] == {
        "amount": "37.80",
        "currency": "EUR",
    }
    client.cookies[VISITOR_COOKIE] = control
    assert "EUR 42.00" in client.get(PAGE + "?sku=SW-1-M").content.decode()


def test_a_listing_card_shows_the_visitor_s_experiment_price(client, experiment):
    client.cookies[VISITOR_COOKIE] = visitor_paying("37.80")
    assert "EUR 36.00" in client.get("/c/clothing/").content.decode()  # S: 40.00 less 10 %


def test_a_group_customer_sees_the_group_price_and_others_do_not(client, priced_sweater):
    pricing_api.upsert_price_list(
        name="Trade", customer_group="wholesale", prices=[SkuPrice("SW-1-M", eur("30.00"))]
    )
    assert "EUR 30.00" not in client.get(PAGE + "?sku=SW-1-M").content.decode()  # warm
    buyer = User.objects.create_user("trade", password="x")
    buyer.groups.add(Group.objects.create(name="wholesale"))
    client.force_login(buyer)
    assert "EUR 30.00" in client.get(PAGE + "?sku=SW-1-M").content.decode()
    assert "EUR 30.00" in client.get("/c/clothing/").content.decode()
    client.logout()
    assert "EUR 30.00" not in client.get(PAGE + "?sku=SW-1-M").content.decode()


def test_a_group_customer_s_kept_page_shows_a_changed_list_price_at_once(client, priced_sweater):
    def trade(amount: str) -> None:
        pricing_api.upsert_price_list(
            name="Trade", customer_group="wholesale", prices=[SkuPrice("SW-1-M", eur(amount))]
        )

    trade("30.00")
    buyer = User.objects.create_user("trade", password="x")
    buyer.groups.add(Group.objects.create(name="wholesale"))
    client.force_login(buyer)
    assert "EUR 30.00" in client.get(PAGE + "?sku=SW-1-M").content.decode()  # kept
    trade("28.00")
    page = client.get(PAGE + "?sku=SW-1-M").content.decode()
    assert "EUR 28.00" in page
    assert "EUR 30.00" not in page


def test_a_group_customer_s_copy_is_kept_no_longer_than_their_list_s_window(
    client, priced_sweater, monkeypatch
):
    """The list ends with no commit: the group's copy ends with it, a guest's lives on."""
    kept_for = []
    keep = page_cache.caching.keep
    monkeypatch.setattr(
        page_cache.caching, "keep", lambda *args: kept_for.append(args[-1]) or keep(*args)
    )
    pricing_api.upsert_price_list(
        name="Trade",
        customer_group="wholesale",
        prices=[SkuPrice("SW-1-M", eur("30.00"))],
        valid_until=timezone.now() + timedelta(seconds=20),
    )
    buyer = User.objects.create_user("trade", password="x")
    buyer.groups.add(Group.objects.create(name="wholesale"))
    client.force_login(buyer)
    assert "EUR 30.00" in client.get(PAGE + "?sku=SW-1-M").content.decode()
    Client().get(PAGE + "?sku=SW-1-M")
    assert kept_for[0] <= 20
    assert kept_for[1] == settings.STOREFRONT_PAGE_CACHE_SECONDS > 20


def broken(**kwargs):
    raise ConnectionError("the context is down")


@pytest.mark.parametrize("url", ["/", "/c/clothing/", "/search/?q=sweater", PAGE])
def test_pages_survive_inventory_failing_with_availability_unknown(
    client, priced_sweater, monkeypatch, url
):
    monkeypatch.setattr(inventory_api, "availability", broken)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Availability unknown" in page
    assert "out of stock" not in page.lower()
    assert "EUR 40.00" in page


@pytest.mark.parametrize("url", ["/", "/c/clothing/", "/search/?q=sweater", PAGE])
def test_pages_survive_pricing_failing_with_price_unavailable(
    client, priced_sweater, monkeypatch, url
):
    monkeypatch.setattr(pricing_api, "offer_prices", broken)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Price unavailable" in page
    assert "in stock" in page.lower()


def test_the_endpoint_says_availability_unknown_and_sells_nothing(
    client, priced_sweater, monkeypatch
):
    monkeypatch.setattr(inventory_api, "availability", broken)
    data = client.get("/api/v1/products/SW-1/").json()
    assert data["availability"] is None
    assert data["purchasable"] is False
    assert {v["availability"] is None and not v["purchasable"] for v in data["variants"]} == {True}
    assert data["price"] == {"amount": "40.00", "currency": "EUR"}


def test_the_cart_quotes_the_experiment_price_the_product_page_showed(client, experiment):
    client.cookies[VISITOR_COOKIE] = visitor_paying("37.80")
    assert "EUR 37.80" in client.get(PAGE + "?sku=SW-1-M").content.decode()

    client.post("/cart/add/", {"sku": "SW-1-M", "quantity": "1"})

    cart = client.get("/cart/").content.decode()
    assert "EUR 37.80" in cart
    assert "EUR 42.00" not in cart
