"""kernel/cache_policy.py: an answer that sets a cookie is never shareable, and every answer
says who may keep it, whichever middleware set the cookie and whatever the view said."""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from kernel.cache_policy import ONE_SHOPPERS, PERSONAL, UNSHARED, cache_policy_middleware
from storefront.http_cache import SEGMENT_COOKIE
from tests.builders import priced, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")

PAGES = ["/products/wool-sweater/", "/", "/c/clothing/", "/search/?q=wool"]


@pytest.fixture
def on_sale():
    upsert(sweater(slug="wool-sweater"))
    for sku in ("SW-1-S", "SW-1-M", "SW-1-L"):
        priced(sku, "40.00", 5)


def _settled() -> Client:
    """An anonymous shopper whose pages are shareable: the segment cookie and a visitor id."""
    shopper = Client()
    shopper.get("/")
    return shopper


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    "cookie",
    [
        {"visitor_id": "not-one-of-ours"},  # replaced by the visitor middleware
        {"sessionid": "a-session-that-ended"},  # deleted by the session middleware
    ],
    ids=["tampered visitor id", "ended session"],
)
def test_a_page_that_sets_a_cookie_is_never_shareable(on_sale, url, cookie):
    shopper = _settled()
    assert "public" in shopper.get(url)["Cache-Control"]  # kept, and now shareable
    shopper.cookies.load(cookie)
    response = shopper.get(url)
    assert response.cookies, "the case must set a cookie to prove anything"
    assert response["Cache-Control"].startswith("private")
    assert "public" not in response["Cache-Control"]


def test_a_page_showing_a_flash_message_is_never_shareable(on_sale):
    shopper = _settled()
    shopper.post("/cart/add/", {"sku": "SW-1-S", "quantity": "abc"})  # refused: a message
    response = shopper.get("/products/wool-sweater/")
    assert "messages" in response.cookies  # read, so cleared
    assert response["Cache-Control"] == ONE_SHOPPERS


def test_what_no_view_made_shareable_is_private(on_sale):
    assert Client().get("/cart/")["Cache-Control"] == UNSHARED
    shopper = Client()
    shopper.post("/cart/add/", {"sku": "SW-1-S", "quantity": "1"})
    assert shopper.get("/cart/")["Cache-Control"] == PERSONAL  # a session now
    token = shopper.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    assert shopper.get(f"/api/v1/cart/{token}/")["Cache-Control"] == PERSONAL
    assert Client().get(f"/api/v1/cart/{token}/")["Cache-Control"] == UNSHARED


def test_a_shareable_page_stays_shareable(on_sale):
    shopper = _settled()
    assert shopper.cookies[SEGMENT_COOKIE].value == "EUR"
    response = shopper.get("/products/wool-sweater/")
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"


@pytest.mark.parametrize("cookie", ["csrftoken", "messages", "anything"])
def test_whichever_layer_sets_the_cookie_the_answer_is_made_private(cookie):
    def shareable_view_then_a_cookie(request):
        response = HttpResponse("a page")
        response["Cache-Control"] = "public, max-age=0, s-maxage=60"
        response.set_cookie(cookie, "one shopper's")
        return response

    response = cache_policy_middleware(shareable_view_then_a_cookie)(RequestFactory().get("/"))
    assert response["Cache-Control"] == ONE_SHOPPERS
