"""The gateway's page cache (storefront/page_cache.py): a whole anonymous page per price
segment, composed once, never served after a change to what it shows has committed."""

import time
from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from inventory import api as inventory_api
from kernel import read_ahead
from kernel.money import Money
from kernel.tests.scrape import in_process
from pricing import api as pricing_api
from pricing.dtos import ExperimentSpec, PromotionSpec, TargetSpec, VariantSpec
from storefront import page_cache, views
from tests.builders import priced, sweater, upsert
from tests.outages import live_redis_cache

pytestmark = pytest.mark.usefixtures("structure")

PRODUCT = "/products/wool-sweater/"
PAGES = [PRODUCT, "/", "/c/clothing/", "/search/?q=wool"]
SIZES = ("SW-1-S", "SW-1-M", "SW-1-L")
LOOKUPS = "commerce_cache_lookup_total"


@pytest.fixture
def on_sale():
    upsert(sweater(slug="wool-sweater"))
    for sku in SIZES:
        priced(sku, "40.00", 5)


def new_visitor(url: str, **headers):
    """A shopper's first request: no cookies at all."""
    return Client().get(url, headers=headers)


@pytest.mark.parametrize("url", PAGES)
def test_a_page_is_composed_once_then_served_whole_to_every_new_visitor(
    on_sale, url, django_assert_num_queries
):
    first = new_visitor(url)
    with django_assert_num_queries(0):
        again = new_visitor(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["X-Price-Segment"] == "EUR"
    assert "visitor_id" in again.cookies  # each visitor still gets their own id


def test_a_url_with_a_parameter_no_page_reads_is_composed_every_time(
    on_sale, django_assert_max_num_queries
):
    """Random parameters (a cache-buster, a campaign's tag) cannot fill the cache."""
    for url in (f"{PRODUCT}?utm_source=news", "/c/clothing/?nonce=1"):
        new_visitor(url)
        with django_assert_max_num_queries(30) as composed:
            assert new_visitor(url).status_code == 200
        assert len(composed) > 0, url
    new_visitor("/c/clothing/?attr_colour=red&sort=price_asc&page=1")
    with django_assert_max_num_queries(0):
        new_visitor("/c/clothing/?attr_colour=red&sort=price_asc&page=1")


def test_a_returning_visitor_gets_the_shareable_copy_and_a_304(client, on_sale):
    client.get(PRODUCT)
    settled = client.get(PRODUCT)
    assert settled["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert client.get(PRODUCT, headers={"If-None-Match": settled["ETag"]}).status_code == 304


def cheaper():
    pricing_api.set_price(sku="SW-1-S", price=Money(Decimal("30.00"), "EUR"))


def sold_out():
    for sku in SIZES:
        inventory_api.set_stock(sku=sku, quantity=0)


def renamed():
    upsert(sweater(slug="wool-sweater", title="Merino Sweater"))


@pytest.mark.parametrize(
    ("change", "shown", "pages"),
    [
        (cheaper, "EUR 30.00", [PRODUCT, "/", "/c/clothing/"]),
        (sold_out, "Out of stock", [PRODUCT, "/c/clothing/"]),
        (renamed, "Merino Sweater", [PRODUCT, "/", "/c/clothing/"]),
    ],
    ids=["price", "stock", "product"],
)
def test_a_change_is_shown_at_the_next_request_without_waiting_for_an_event(
    on_sale, change, shown, pages
):
    for url in pages:
        new_visitor(url)
        assert shown not in new_visitor(url).content.decode(), url  # served from the cache
    change()  # each context forgets its cached reads where it commits (kernel/caching.py)
    for url in pages:
        assert shown in new_visitor(url).content.decode(), url


def _flash_sale(ends_in: timedelta) -> datetime:
    """10 % off the sweater, ending ``ends_in`` from now (returned): on time, with no
    commit then."""
    ends_at = timezone.now() + ends_in
    pricing_api.upsert_promotion(
        spec=PromotionSpec(
            slug="flash-sale",
            name="Flash sale",
            reason="Flash sale",
            kind="percentage",
            percent=Decimal(10),
            targets=tuple(TargetSpec(kind="sku", value=sku) for sku in SIZES),
            ends_at=ends_at,
        )
    )
    return ends_at


@pytest.mark.parametrize("url", PAGES)
def test_a_copy_is_not_served_past_a_promotions_end(on_sale, url):
    """The sale ends with no commit, so no generation changes: the copy ends with it."""
    ends_at = _flash_sale(ends_in=timedelta(seconds=4))  # time to compose on a slow machine
    on_sale_page = new_visitor(url)
    assert "EUR 36.00" in on_sale_page.content.decode()
    settled = Client()
    settled.get(url)
    shared_for = settled.get(url)["Cache-Control"].partition("s-maxage=")[2]
    assert int(shared_for) <= 4  # nor kept longer by a cache in front
    time.sleep(max(0.0, (ends_at - timezone.now()).total_seconds()) + 0.1)
    assert "EUR 36.00" not in new_visitor(url).content.decode()
    assert "EUR 40.00" in new_visitor(url).content.decode()


def test_a_copy_lives_its_full_time_without_a_window_ahead(on_sale, monkeypatch):
    kept_for = []
    keep = page_cache.caching.keep
    monkeypatch.setattr(
        page_cache.caching, "keep", lambda *args: kept_for.append(args[-1]) or keep(*args)
    )
    _flash_sale(ends_in=timedelta(days=2))
    new_visitor(PRODUCT)
    assert kept_for == [settings.STOREFRONT_PAGE_CACHE_SECONDS]


def test_each_price_segment_has_its_own_copy(on_sale):
    euro = new_visitor(PRODUCT)
    Client().get(PRODUCT)
    dollar = Client()
    dollar.cookies["currency"] = "USD"
    page = dollar.get(PRODUCT)
    assert page["X-Price-Segment"] == "USD"
    assert "EUR 40.00" in euro.content.decode()
    assert "EUR 40.00" not in page.content.decode()


def test_a_rewritten_segment_cookie_is_not_believed(on_sale):
    """The segment is pricing's answer for the request, never the cookie a client sends."""
    new_visitor(PRODUCT)
    forger = Client()
    forger.cookies["price_segment"] = "EUR;wholesale"
    page = forger.get(PRODUCT)
    assert page["X-Price-Segment"] == "EUR"
    assert page.cookies["price_segment"].value == "EUR"


def test_a_segment_named_from_what_the_process_held_is_named_again_once_stale(on_sale):
    """Pricing's running experiments are held by the process to name the segment without a
    round trip; an experiment started since is seen at the next request all the same."""
    shopper = Client()
    shopper.cookies["visitor_id"] = "0" * 32
    for _ in range(2):
        assert shopper.get(PRODUCT)["X-Price-Segment"] == "EUR"  # composed, then kept
    pricing_api.upsert_experiment(
        spec=ExperimentSpec(
            slug="sweaters",
            name="Sweaters",
            skus=SIZES,
            variants=(VariantSpec(key="plus", weight=1, rule="percent", percent=Decimal(10)),),
        ),
        running=True,
    )
    page = shopper.get(PRODUCT)
    assert page["X-Price-Segment"] == "EUR;sweaters=plus"
    assert "EUR 44.00" in page.content.decode()
    before = in_process()
    assert shopper.get(PRODUCT)["X-Price-Segment"] == "EUR;sweaters=plus"
    assert in_process().delta(before, LOOKUPS, cache="storefront:page", result="hit") == 1


def outside_the_header(page: bytes) -> bytes:
    head, _, rest = page.partition(b"<!--personal-header-->")
    return head + rest.partition(b"<!--/personal-header-->")[2]


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_shopper_is_served_the_copy_with_their_own_header(
    client, on_sale, url, django_user_model, django_assert_max_num_queries
):
    """Only the header is a shopper's own (templates/partials/personal_header.html): it is
    rendered for them into the page their price segment shares."""
    anonymous = new_visitor(url).content
    shopper = django_user_model.objects.create_user(username="ada", password="x-x-x-x-x-1")
    client.force_login(shopper)
    client.get(url)
    before = in_process()
    # The user and their cart's count (on every device); the session is in the cache.
    with django_assert_max_num_queries(2):
        page = client.get(url)
    assert in_process().delta(before, LOOKUPS, cache=page_cache.NAME, result="hit") == 1
    assert outside_the_header(page.content) == outside_the_header(anonymous)
    assert "Sign out" in page.content.decode()
    assert "Sign in" not in page.content.decode()
    assert "private" in page["Cache-Control"]
    assert "X-Price-Segment" not in page
    # and a copy a signed-in shopper's request stored shows a newcomer the newcomer's header
    cheaper()
    assert "Sign out" in client.get(url).content.decode()
    newcomer = new_visitor(url).content.decode()
    assert "Sign in" in newcomer
    assert "Sign out" not in newcomer
    assert "csrfmiddlewaretoken" not in newcomer


def round_trips(request) -> int:
    """How many times ``request()`` sent something to Redis (a pipeline or a script: once)."""
    sent = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, *args, **kwargs):
        sent.append(args)
        return send(connection, *args, **kwargs)

    with mock.patch.object(redis.connection.AbstractConnection, "send_packed_command", counted):
        request()
    return len(sent)


@pytest.mark.services
@pytest.mark.parametrize("with_a_cart", [False, True])
def test_on_redis_a_signed_in_kept_page_reads_its_session_user_and_count_together(
    client, on_sale, django_user_model, monkeypatch, with_a_cart
):
    """The session comes back with the entries its readers named at the last request
    (kernel.read_ahead's SessionMiddleware): the session, the user's snapshot and the
    cart's count in one round trip, then the kept page in a second."""
    with live_redis_cache():
        shopper = django_user_model.objects.create_user(username="ada", password="x-x-x-x-x-1")
        client.force_login(shopper)
        if with_a_cart:
            client.post("/cart/add/", {"sku": "SW-1-M", "quantity": "2"})
        for _warm in range(3):  # composed and kept; the session's readers named; all warm
            client.get(PRODUCT)

        assert round_trips(lambda: client.get(PRODUCT)) == 2
        page = client.get(PRODUCT).content.decode()
        monkeypatch.setattr(read_ahead, "_readers", {})
        assert round_trips(lambda: client.get(PRODUCT)) == 4  # session, user, count, page

    assert "Sign out" in page
    assert ('<span class="minicart-count">2</span>' in page) == with_a_cart


def test_a_shopper_with_a_cart_sees_their_own_count_in_a_kept_page(client, on_sale):
    new_visitor(PRODUCT)
    client.post("/cart/add/", {"sku": "SW-1-M", "quantity": "2"})
    assert "sessionid" in client.cookies
    client.get(PRODUCT)  # the message "Added to your cart." shown
    page = client.get(PRODUCT)
    assert '<span class="minicart-count">2</span>' in page.content.decode()
    assert page["Cache-Control"].startswith("private")  # a cache in front must not share it
    assert "minicart-count" not in new_visitor(PRODUCT).content.decode()


def test_a_page_with_a_message_waiting_is_composed_to_show_it(client, on_sale):
    new_visitor(PRODUCT)
    added = client.post("/cart/add/", {"sku": "SW-1-M", "quantity": "1"}, follow=True)
    assert 'class="message' in added.content.decode()  # shown once
    assert 'class="message' not in client.get(PRODUCT).content.decode()


def anonymous_request(rf, url: str):
    request = rf.get(url)
    request.user = AnonymousUser()
    request.visitor_id = "0" * 32
    return request


def test_a_change_committed_while_the_page_is_composed_leaves_no_stale_copy(rf, on_sale):
    """The generations are read before the values: a copy composed across a change is stale."""
    request = anonymous_request(rf, PRODUCT)

    def composed_then_changed():
        response = views.product.__wrapped__(request, slug="wool-sweater")
        cheaper()  # commits while the (old) page is on its way to the cache
        return response

    stale = page_cache.served(request, lambda: "EUR", composed_then_changed).page
    assert "EUR 40.00" in stale.content.decode()
    assert "EUR 30.00" in new_visitor(PRODUCT).content.decode()


def test_a_page_with_a_csrf_token_or_a_cookie_of_its_own_is_not_kept(rf, db):
    request = anonymous_request(rf, "/anything/")
    renders = []

    def render(content: bytes, cookie: bool = False):
        def composed():
            renders.append(content)
            response = HttpResponse(content)
            if cookie:
                response.set_cookie("own", "1")
            return response

        return composed

    token = b'<input name="csrfmiddlewaretoken" value="abc">'
    for _ in range(2):
        page_cache.served(request, lambda: "EUR", render(token))
    assert renders == [token, token]
    renders.clear()
    for _ in range(2):
        page_cache.served(request, lambda: "EUR", render(b"with a cookie", cookie=True))
    assert len(renders) == 2


def test_the_page_cache_can_be_turned_off_and_is_off_with_pricing_out_of_process(
    on_sale, settings, django_assert_max_num_queries
):
    assert page_cache.enabled()
    settings.STOREFRONT_PAGE_CACHE_SECONDS = 0
    new_visitor(PRODUCT)
    with django_assert_max_num_queries(20) as composed:
        new_visitor(PRODUCT)
    assert len(composed) > 0
    settings.STOREFRONT_PAGE_CACHE_SECONDS = 60
    settings.PRICING_SERVICE_URL = "http://pricing.internal:8000/"
    assert not page_cache.enabled()


API_DETAIL = "/api/v1/products/SW-1/"


def test_the_product_endpoint_is_kept_whole_for_a_client_without_cookies(
    on_sale, django_assert_num_queries
):
    """A client that keeps no cookies is a new visitor every time: its view is not counted,
    so what it is answered is every new visitor's of the segment."""
    first = new_visitor(API_DETAIL)
    with django_assert_num_queries(0):
        again = new_visitor(API_DETAIL)
    assert again.status_code == 200
    assert again["Content-Type"] == "application/json"
    assert again.json() == first.json()
    assert again.json()["recommendations"]["recently_viewed"] == []
    cheaper()
    assert new_visitor(API_DETAIL).json()["price"] == {"amount": "30.00", "currency": "EUR"}
    assert new_visitor("/api/v1/products/NO-SUCH/").status_code == 404
