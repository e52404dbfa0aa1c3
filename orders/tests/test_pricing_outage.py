"""Pricing's service down (out of process): the cart, checkout and the API's carts say so.

Browse pages fall back ("Price unavailable"); the cart and checkout cannot,
and a shopper who clicked "Add to cart" on a page loaded before the outage,
or an app creating a cart, used to get a 500 ("Something went wrong on our
side", a ``server_error`` problem) and the log an ERROR traceback. Pricing
failing here is ``ServiceUnavailable`` raised by its client, as the real
one raises it when the retries are spent or the breaker is open.
"""

import logging

import pytest

from kernel.remote.client import ServiceUnavailable
from orders.models import Order
from pricing import api as pricing_api

pytestmark = pytest.mark.usefixtures("shop")


@pytest.fixture
def pricing_down(monkeypatch):
    _take_pricing_down(monkeypatch)


def _take_pricing_down(monkeypatch):
    def unavailable(*args, **kwargs):
        raise ServiceUnavailable("pricing circuit open: open since 1.0s")

    for name in ("shopper", "quote", "prices_for", "offer_prices"):
        if hasattr(pricing_api, name):
            monkeypatch.setattr(pricing_api, name, unavailable)


def _quiet(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("language", ["", "/de"])
def test_adding_to_the_cart_while_pricing_is_down_is_a_503_page_that_says_so(
    client, pricing_down, caplog, language
):
    response = client.post(f"{language}/cart/add/", {"sku": "TEA-1", "quantity": "1"})

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    if language:
        assert "Bitte versuchen Sie es gleich noch einmal" in page
    else:
        assert "Please try again in a moment" in page
        assert "nothing was ordered or charged" in page
    assert _quiet(caplog) == []
    assert any("answered 503" in r.getMessage() for r in caplog.records)


def test_the_cart_and_placing_an_order_while_pricing_is_down_place_none(
    client, monkeypatch, caplog
):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})  # pricing still up
    _take_pricing_down(monkeypatch)

    assert client.get("/cart/").status_code == 503
    response = client.post("/checkout/place/", {"token": "x" * 20})

    assert response.status_code == 503
    assert Order.objects.count() == 0
    assert _quiet(caplog) == []


def test_the_api_answers_a_503_problem_while_pricing_is_down(client, pricing_down, caplog):
    response = client.post("/api/v1/cart/", {}, content_type="application/json")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "10"
    body = response.json()
    assert body["status"] == 503
    assert body["code"] == "unavailable"
    assert "try again" in body["detail"]
    assert _quiet(caplog) == []


def test_other_exceptions_are_still_the_500(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pricing_api, "shopper", broken)
    client.raise_request_exception = False

    response = client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})

    assert response.status_code == 500
