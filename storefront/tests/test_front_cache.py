"""Varnish in front of the shop: docs/varnish/storefront.vcl, run as written.

The module starts Debian's varnishd once, on a free port, with the
committed VCL pointed at pytest-django's ``live_server``; each test starts
with every stored page banned. Shoppers are ``requests`` sessions (each
keeps its own cookies) talking to Varnish. Changes go through the
contexts' apis, whose commit runs the relay (Celery eager), whose
storefront subscribers ban at ``HTTP_CACHE_PURGE_URLS``: Varnish here.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.test import Client

from catalog import api as catalog_api
from conftest import require_debian_program
from inventory import api as inventory_api
from kernel.models import Delivery
from kernel.money import Money
from kernel.tests.outboxes import deliveries_of
from pricing import api as pricing_api
from pricing.events import PriceChanged
from storefront import cache_tags
from storefront.http_cache import SEGMENT_COOKIE
from tests.builders import build_structure, priced, simple_product, sweater, upsert

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

VARNISHD = Path("/usr/sbin/varnishd")
VCL = Path(__file__).resolve().parents[2] / "docs" / "varnish" / "storefront.vcl"
#: Every page that shows the wool sweater, and one that does not.
SHOWING_IT = ["/", "/c/clothing/", "/c/gifts/", "/search/?q=wool", "/products/wool-sweater/"]
NOT_SHOWING_IT = "/c/kitchen/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _in_front_of(port: int) -> str:
    """The committed VCL with its backend on ``port`` (the one line a deployment changes)."""
    vcl, replaced = re.subn(r'(\.port = )"\d+";', rf'\1"{port}";', VCL.read_text(), count=1)
    assert replaced == 1, "the VCL's backend port was not found"
    return vcl


@pytest.fixture(scope="module")
def front(live_server, tmp_path_factory) -> str:
    """Varnish's address, in front of ``live_server``; daemonized, ready when started."""
    require_debian_program(VARNISHD, "varnish")
    workdir = tmp_path_factory.mktemp("varnish")
    (workdir / "storefront.vcl").write_text(_in_front_of(int(live_server.url.rsplit(":", 1)[1])))
    port = _free_port()
    pidfile = workdir / "varnishd.pid"
    subprocess.run(
        [VARNISHD, "-j", "none", "-n", workdir / "instance", "-a", f"127.0.0.1:{port}",
         "-f", workdir / "storefront.vcl", "-s", "malloc,32m", "-T", "none", "-P", pidfile],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    yield f"http://127.0.0.1:{port}"
    os.kill(int(pidfile.read_text()), signal.SIGTERM)


@pytest.fixture(autouse=True)
def purging_into(front, settings):
    """The storefront bans at Varnish; every test starts with nothing stored."""
    settings.HTTP_CACHE_PURGE_URLS = [f"{front}/"]
    ban = requests.request("BAN", front, headers={"X-Ban-Tags": cache_tags.EVERY_PAGE}, timeout=5)
    assert ban.status_code == 200
    return front


@pytest.fixture
def shop(front):
    """The sweater (clothing, gifts) priced in EUR and USD, and a pan in kitchen."""
    build_structure()
    upsert(sweater(slug="wool-sweater"))
    for sku in ("SW-1-S", "SW-1-M", "SW-1-L"):
        priced(sku, "40.00")
        pricing_api.set_price(sku=sku, price=Money(Decimal("45.00"), "USD"))
    simple_product(sku="PAN-1", title="Iron Pan", category="pans")
    priced("PAN-1", "70.00")


class Shopper:
    """One browser: its own cookies, every page through Varnish."""

    def __init__(self, front: str, currency: str = "EUR") -> None:
        self.front = front
        self.session = requests.Session()
        if currency != "EUR":
            self.session.post(f"{front}/currency/", data={"currency": currency}, timeout=10)

    def get(self, path: str) -> requests.Response:
        response = self.session.get(f"{self.front}{path}", timeout=10)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def settle(self, path: str) -> requests.Response:
        """Visit until the page is stored: a visit without the segment cookie gets it
        (a private answer); the next, carrying it, is shareable and stored."""
        response = self.get(path)
        if "private" in response.headers["Cache-Control"]:
            assert SEGMENT_COOKIE in response.cookies
            response = self.get(path)
        assert response.headers["X-Cache"] == "MISS"
        assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
        return response


def cached(shopper: Shopper, path: str) -> bool:
    return shopper.get(path).headers["X-Cache"] == "HIT"


def test_a_listing_is_stored_once_per_segment_and_shared_within_it(front, shop):
    ann, bob, cat = Shopper(front), Shopper(front), Shopper(front, currency="USD")
    first = ann.get("/c/clothing/")
    assert (first.headers["X-Cache"], first.headers["Cache-Control"]) == (
        "MISS",
        "private, max-age=0, must-revalidate",
    )  # it names the visitor's segment
    ann.settle("/c/clothing/")
    served = ann.get("/c/clothing/")
    assert served.headers["X-Cache"] == "HIT"
    assert cache_tags.HEADER not in served.headers  # the tags are for Varnish only
    revalidated = ann.session.get(
        f"{front}/c/clothing/", headers={"If-None-Match": served.headers["ETag"]}, timeout=10
    )
    assert (revalidated.status_code, revalidated.headers["X-Cache"]) == (304, "HIT")
    bob.get("/c/clothing/")  # his first visit: it names his segment
    assert bob.get("/c/clothing/").headers["X-Cache"] == "HIT"  # Ann's copy
    usd = cat.settle("/c/clothing/")  # another segment, another copy
    assert "45.00" in usd.text
    assert "45.00" in cat.get("/c/clothing/").text


def test_switching_currency_leaves_the_old_segments_copies(front, shop):
    ann = Shopper(front)
    ann.settle("/c/clothing/")
    assert cached(ann, "/c/clothing/")
    # The switcher's form, on that page: back to it, in dollars.
    page = ann.session.post(
        f"{front}/currency/", data={"currency": "USD", "next": "/c/clothing/"}, timeout=10
    )
    assert page.url == f"{front}/c/clothing/"
    assert page.headers["X-Cache"] == "MISS"
    assert "45.00" in page.text


def test_signed_in_shoppers_are_never_stored_and_the_product_page_is(
    front, shop, django_user_model
):
    ann = Shopper(front)
    ann.settle("/c/clothing/")
    client = Client()
    client.force_login(django_user_model.objects.create_user("dan", password="pw"))
    dan = Shopper(front)
    dan.session.cookies.update(ann.session.cookies)  # the same segment, and signed in
    dan.session.cookies.set("sessionid", client.cookies["sessionid"].value)
    page = dan.get("/c/clothing/")
    assert (page.headers["X-Cache"], page.headers["Cache-Control"]) == (
        "PASS",
        "private, no-cache",
    )
    ann.settle("/products/wool-sweater/")  # no CSRF token in its buy box: shareable
    assert cached(ann, "/products/wool-sweater/")
    assert dan.get("/products/wool-sweater/").headers["X-Cache"] == "PASS"


def settled_everywhere(*shoppers: Shopper) -> None:
    for shopper in shoppers:
        for path in [*SHOWING_IT, NOT_SHOWING_IT]:
            shopper.settle(path)
            assert cached(shopper, path)


def test_a_price_change_drops_every_page_showing_the_product_in_every_segment(front, shop):
    ann, cat = Shopper(front), Shopper(front, currency="USD")
    settled_everywhere(ann, cat)
    pricing_api.set_price(sku="SW-1-M", price=Money(Decimal("30.00"), "EUR"))
    bans = deliveries_of(PriceChanged.event_type).filter(
        subscriber="storefront.front_cache.price_changed"
    )
    assert {ban.status for ban in bans} == {Delivery.Status.DELIVERED}
    for path in SHOWING_IT:
        fresh = ann.get(path)
        assert fresh.headers["X-Cache"] == "MISS", path
        assert "30.00" in fresh.text, path
        assert cat.get(path).headers["X-Cache"] == "MISS", path  # USD prices, dropped too
    assert cached(ann, NOT_SHOWING_IT)
    assert cached(cat, NOT_SHOWING_IT)


def test_stock_running_out_drops_the_pages_showing_it(front, shop):
    ann = Shopper(front)
    settled_everywhere(ann)
    for sku in ("SW-1-S", "SW-1-M", "SW-1-L"):
        inventory_api.set_stock(sku=sku, quantity=0)
    for path in SHOWING_IT:
        assert ann.get(path).headers["X-Cache"] == "MISS", path
    assert cached(ann, NOT_SHOWING_IT)


def test_a_product_moved_to_another_category_drops_that_categorys_pages(front, shop):
    ann = Shopper(front)
    settled_everywhere(ann)
    upsert(sweater(slug="wool-sweater", title="Wool Kitchen Apron", category="kitchen"))
    fresh = ann.get(NOT_SHOWING_IT)
    assert fresh.headers["X-Cache"] == "MISS"
    assert "Wool Kitchen Apron" in fresh.text
    assert "Wool Kitchen Apron" in ann.get("/search/?q=wool").text
    assert catalog_api.product_by_slug(slug="wool-sweater").title == "Wool Kitchen Apron"


def _ban_from(address: str, front: str, tags: str) -> int:
    """The status of a BAN sent from ``address`` (any 127.x.y.z is this host's loopback)."""
    host, port = front.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5, source_address=(address, 0)) as s:
        s.sendall(f"BAN / HTTP/1.1\r\nHost: {host}\r\nX-Ban-Tags: {tags}\r\n\r\n".encode())
        return int(s.recv(1024).split()[1])


def test_only_the_purgers_may_ban_and_only_tags(front, shop):
    ann = Shopper(front)
    ann.settle("/c/clothing/")
    assert _ban_from("127.0.0.2", front, "shop") == 403  # not in the VCL's purgers ACL
    assert _ban_from("127.0.0.1", front, "shop|.*") == 400  # not a tag
    assert cached(ann, "/c/clothing/")
    assert _ban_from("127.0.0.1", front, "c:clothing") == 200
    assert not cached(ann, "/c/clothing/")
