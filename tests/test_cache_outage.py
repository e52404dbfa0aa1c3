"""The cache is down: the shop degrades and never fails (ADR 0018).

Pages and the API are served from the databases, checkout goes through,
rate limits fail open while sign-in lockouts (in the database) hold, the
metrics count what the cache did not answer, and no invalidation is lost:
a change made during the outage is shown after it, and one an event asked
for is delivered again until the cache takes it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kernel import relay
from kernel.models import Delivery
from kernel.money import Money
from kernel.tests.outboxes import deliveries_of
from kernel.tests.scrape import in_process
from orders.tests.factories import BERLIN
from pricing import api as pricing_api
from pricing.events import PriceChanged
from tests.builders import offer_product, product, upsert
from tests.outages import live_redis_cache, stopped_cache
from tests.shop import deliver_events

pytestmark = pytest.mark.django_db

LOOKUPS = "commerce_cache_lookup_total"
DETAILS = {
    **{f"ship-{name}": value for name, value in BERLIN.as_dict().items()},
    "email": "guest@example.com",
    "billing_same": "on",
    "shipping_method": "standard",
}


@pytest.fixture
def tea(db):
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=9)
    deliver_events()


def test_a_shopper_browses_and_buys_while_the_cache_is_down(client, tea):
    client.get("/products/green-tea/")  # what was cached before the outage
    before = in_process()
    with stopped_cache():
        for url in ("/", "/products/green-tea/", "/c/tea/", "/search/?q=tea"):
            page = client.get(url)
            assert page.status_code == 200, url
            assert "Green Tea" in page.content.decode(), url
            assert "EUR 12.50" in page.content.decode(), url
        for url in ("/api/v1/products/TEA-1/", "/api/v1/search/?q=tea"):
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert "Green Tea" in answer.content.decode(), url
        assert client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"}).status_code == 302
        assert "EUR 25.00" in client.get("/cart/").content.decode()
        assert client.get("/checkout/").status_code == 200
        assert client.post("/checkout/", DETAILS)["Location"] == "/checkout/review/"
        token = client.get("/checkout/review/").context["form"]["token"].value()
        placed = client.post("/checkout/place/", {"token": token})
        assert placed.status_code == 302
        assert placed["Location"].endswith("/pay/")
    after = in_process()
    assert after.delta(before, "commerce_cache_errors_total", operation="read") > 0
    assert after.delta(before, "commerce_cache_errors_total", operation="write") > 0
    for kind in ("catalog:product", "catalog:listings", "pricing:prices", "inventory:sku"):
        assert after.delta(before, LOOKUPS, cache=kind, result="error") > 0, kind
    assert after.delta(before, LOOKUPS, result="hit") == 0
    assert after.delta(before, LOOKUPS, result="miss") == 0


def test_rate_limits_fail_open_and_sign_in_lockouts_hold(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"},
    }
    settings.SIGN_UP_LIMIT_PER_HOUR = 1
    settings.AXES_FAILURE_LIMIT = 2
    get_user_model().objects.create_user("ada@example.com", "ada@example.com", "right")
    caller = Client(REMOTE_ADDR="10.0.0.1")
    with stopped_cache():
        api = [caller.get("/api/v1/catalog/categories/").status_code for _ in range(3)]
        sign_up = [
            caller.post("/account/sign-up/", {"email": "not-an-email"}).status_code
            for _ in range(3)
        ]
        sign_in = [
            caller.post("/account/sign-in/", {"username": "ada@example.com", "password": p})
            for p in ("wrong", "wrong", "right")
        ]
    assert api == [200, 200, 200]  # counted in the cache: open while it is down
    assert sign_up == [200, 200, 200]
    assert [answer.status_code for answer in sign_in] == [200, 429, 429]  # in the database


def test_an_invalidation_an_event_asked_for_is_delivered_again_until_the_cache_takes_it(tea):
    subscriber = "catalog.search_projection.price_changed"  # its handler forgets listings
    with stopped_cache():
        pricing_api.set_price(sku="TEA-1", price=Money(Decimal("9.00"), "EUR"))
        deliver_events()
    waiting = deliveries_of(PriceChanged.event_type).filter(
        subscriber=subscriber, status=Delivery.Status.PENDING
    )
    (delivery,) = waiting
    assert delivery.attempts == 1
    assert "CacheUnavailable: could not forget catalog:listings" in delivery.last_error

    relay.retry_now(waiting)  # its backoff has passed, and the cache answers again
    deliver_events()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 2)


@pytest.fixture(params=["local-memory", pytest.param("redis", marks=pytest.mark.services)])
def cache_that_keeps_its_entries(request):
    """The cache before and after the outage, with what it held before: the
    local-memory cache, or Redis through the shop's backend (persistence kept
    the entries, or a partition healed)."""
    if request.param == "local-memory":
        yield
        return
    with live_redis_cache():
        yield


def test_a_change_made_during_the_outage_is_shown_after_it(
    client, tea, cache_that_keeps_its_entries
):
    assert "Green Tea" in client.get("/products/green-tea/").content.decode()
    with stopped_cache():
        upsert(product("TEA-1", "Sencha", slug="green-tea", category="tea"))
        assert "Sencha" in client.get("/products/green-tea/").content.decode()
    assert "Sencha" in client.get("/products/green-tea/").content.decode()
