"""What shared pages say they show (X-Cache-Tags) and what the storefront bans, per event.

The bans go over real HTTP to a recorder standing in for Varnish (the real
one: test_front_cache.py); the events go through the relay, so what is
tested is the subscribers as registered.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from catalog import api as catalog_api
from inventory import api as inventory_api
from kernel import relay
from kernel.databases import database_of
from kernel.models import Delivery, ProcessedEvent
from kernel.money import Money
from kernel.tests.outboxes import clear_outboxes, deliveries_of
from pricing import api as pricing_api
from pricing.dtos import PromotionSpec
from pricing.events import PriceChanged
from reviews.events import RatingChanged
from storefront import cache_tags, handlers
from storefront.front_cache import BAN_HEADER
from storefront.http_cache import SEGMENT_COOKIE
from tests.builders import priced, simple_product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")

PRICE_BAN = "storefront.front_cache.price_changed"


class _Recorder(BaseHTTPRequestHandler):
    """Answers BAN with its server's ``status`` (Varnish: 200) and keeps the tags."""

    def do_BAN(self):
        self.server.bans.append(self.headers[BAN_HEADER])
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cache_in_front(settings):
    """A recorder of bans, named by HTTP_CACHE_PURGE_URLS."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.bans, server.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def on_sale():
    upsert(sweater(slug="wool-sweater"))
    for sku in ("SW-1-S", "SW-1-M", "SW-1-L"):
        priced(sku, "40.00", 5)
    simple_product(sku="PAN-1", title="Iron Pan", category="pans")
    priced("PAN-1", "70.00")
    clear_outboxes()  # what a test changes is all the relay sees


def product_tag(slug: str) -> str:
    return cache_tags.product(catalog_api.product_by_slug(slug=slug).id)


def settled(client, url):
    client.get(url)
    return client.get(url)


@pytest.mark.parametrize(
    ("url", "own_tag"),
    [("/", "home"), ("/c/clothing/", "c:clothing"), ("/search/?q=wool", "search")],
)
def test_a_shared_listing_names_its_products_and_what_it_lists(client, on_sale, url, own_tag):
    response = settled(client, url)
    assert "public" in response["Cache-Control"]
    tags = response[cache_tags.HEADER].split()
    assert tags[0] == "shop"
    assert own_tag in tags
    assert product_tag("wool-sweater") in tags
    assert (product_tag("pan-1") in tags) is (url == "/")


def test_the_product_page_names_its_product_and_the_suggested_ones(client, on_sale):
    response = settled(client, "/products/wool-sweater/")
    assert "public" in response["Cache-Control"]
    tags = response[cache_tags.HEADER].split()
    assert tags[:2] == ["shop", product_tag("wool-sweater")]
    assert product_tag("pan-1") not in tags  # no order history: nothing bought together


def test_a_rating_change_bans_the_rated_products(cache_in_front, on_sale):
    rated = catalog_api.product_by_slug(slug="wool-sweater")
    changes = [
        RatingChanged(
            product_id=rated.id,
            product_sku=rated.sku,
            average=Decimal(stars),
            count=1,
            histogram=(0, 0, 0, 1, 0),
            changed_at=timezone.now(),
        )
        for stars in (4, 5)
    ]
    handlers.ban_rerated_products(changes)
    assert cache_in_front.bans == [product_tag("wool-sweater")]


def test_a_private_page_names_nothing(client, on_sale, django_user_model):
    assert cache_tags.HEADER not in client.get("/c/clothing/")  # first visit: private
    client.force_login(django_user_model.objects.create_user("ann", password="pw"))
    assert cache_tags.HEADER not in client.get("/c/clothing/")


def test_a_category_tag_never_carries_a_space_or_regex_syntax():
    assert cache_tags.category("küche und.bad") == "c:k%C3%BCche%20und%2Ebad"


def test_switching_currency_forgets_the_old_segment(client, on_sale):
    settled(client, "/c/clothing/")
    response = client.post("/currency/", {"currency": "USD"})
    assert response.cookies[SEGMENT_COOKIE]["max-age"] == 0


def test_each_change_bans_the_pages_showing_what_changed(cache_in_front, on_sale):
    sweater_tag = product_tag("wool-sweater")

    def bans(change) -> list[str]:
        cache_in_front.bans.clear()
        change()
        relay.relay(dispatch=relay.deliver_due)
        return sorted(cache_in_front.bans)

    assert bans(lambda: pricing_api.set_price(sku="SW-1-M", price=Money(Decimal(30), "EUR"))) == [
        sweater_tag
    ]
    assert bans(lambda: inventory_api.set_stock(sku="SW-1-M", quantity=0)) == [sweater_tag]
    assert bans(lambda: upsert(sweater(slug="wool-sweater", title="Wool Jumper"))) == [
        f"{sweater_tag} c:clothing c:gifts"
    ]
    assert bans(lambda: upsert(sweater(sku="SW-2", slug="new-sweater", category="pans"))) == [
        f"{product_tag('new-sweater')} c:pans c:kitchen c:gifts",  # changed, then published:
        f"{product_tag('new-sweater')} c:pans c:kitchen c:gifts home search",
    ]
    promotion = PromotionSpec(
        slug="sale",
        name="Sale",
        reason="10 % off",
        kind="percentage",
        scope="order",
        percent=Decimal(10),
    )
    assert bans(lambda: pricing_api.upsert_promotion(spec=promotion)) == ["shop"]
    assert bans(lambda: pricing_api.set_price(sku="NOBODY-1", price=Money(Decimal(1), "EUR"))) == []


def test_a_batch_of_changes_is_one_ban(cache_in_front, on_sale):
    """An import's price list: every repriced SKU of a relay's batch in one ban."""
    for sku in ("SW-1-S", "SW-1-M", "SW-1-L"):
        pricing_api.set_price(sku=sku, price=Money(Decimal(30), "EUR"))
    relay.relay(dispatch=relay.deliver_due)
    assert cache_in_front.bans == [product_tag("wool-sweater")]


def test_a_ban_the_cache_does_not_confirm_fails_the_delivery_until_it_does(cache_in_front, on_sale):
    cache_in_front.status = 403  # e.g. a worker outside the VCL's purgers ACL
    pricing_api.set_price(sku="SW-1-M", price=Money(Decimal(30), "EUR"))
    relay.relay(dispatch=relay.deliver_due)
    delivery = deliveries_of(PriceChanged.event_type).get(subscriber=PRICE_BAN)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert "BanFailed" in delivery.last_error
    inbox = ProcessedEvent.objects.using(database_of("storefront")).filter(subscriber=PRICE_BAN)
    assert not inbox.exists()  # so the retry runs the handler again

    cache_in_front.status = 200
    relay.retry_now(deliveries_of(PriceChanged.event_type).filter(subscriber=PRICE_BAN))
    relay.relay(dispatch=relay.deliver_due)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert cache_in_front.bans == [product_tag("wool-sweater")] * 2


def test_a_cache_that_does_not_answer_fails_the_delivery(settings, on_sale):
    settings.HTTP_CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]  # discard: nothing listens
    settings.HTTP_CACHE_PURGE_TIMEOUT = 0.5
    pricing_api.set_price(sku="SW-1-M", price=Money(Decimal(30), "EUR"))
    relay.relay(dispatch=relay.deliver_due)
    delivery = deliveries_of(PriceChanged.event_type).get(subscriber=PRICE_BAN)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert "not reached" in delivery.last_error


def test_without_a_cache_in_front_nothing_is_delivered_to_ban(settings, on_sale):
    """No delivery, no inbox row, no read: the subscribers are not ``wanted``."""
    settings.HTTP_CACHE_PURGE_URLS = []
    pricing_api.set_price(sku="SW-1-M", price=Money(Decimal(30), "EUR"))
    relay.relay(dispatch=relay.deliver_due)
    subscribers = set(deliveries_of(PriceChanged.event_type).values_list("subscriber", flat=True))
    assert PRICE_BAN not in subscribers
    assert subscribers  # the event's other subscribers got theirs
