"""Guests buy from the shop split in two processes, as `make run-split` runs it.

Two gunicorn servers on loopback share the test database: pricing's own
service (``SERVE=pricing``) and the shop with ``PRICING_SERVICE_URL``
pointing at it. The journey (product page, cart, checkout with a voucher,
card, confirmation) must work as in one process; the voucher's use is
claimed through the service, once, under the order's number. Over the REST
API too: the mobile client's journey, the composed product detail, and the
last units raced for by parallel guests.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import expect

from examples import mobile_client
from inventory import api as inventory_api
from orders.models import Order
from pricing.models import VoucherRedemption
from tests.builders import offer_product, ten_percent_voucher
from tests.e2e.checkout import fill_sandbox_card, fill_shipping_address

pytestmark = [pytest.mark.services, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: A bound on a server's start, far above its usual second: a loaded machine keeps it.
START_SECONDS = 60


def database_url(alias: str = DEFAULT_DB_ALIAS) -> str:
    db = connections[alias].settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST']}{port}/{quote(db['NAME'])}"


def the_test_databases() -> dict[str, str]:
    """``DATABASE_URL`` and, with a database per context, each ``DATABASE_URL_<CONTEXT>``:
    the test's databases, not the ones the inherited environment names."""
    return {
        "DATABASE_URL" if alias == DEFAULT_DB_ALIAS else f"DATABASE_URL_{alias.upper()}": (
            database_url(alias)
        )
        for alias in connections
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [
        *(sys.executable, "-m", "gunicorn", "-c", "python:commerce.gunicorn", "commerce.wsgi"),
        *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket"),
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok:
                return process
        except requests.RequestException:  # not listening yet, or still starting
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            pytest.fail(f"the server on port {port} did not start:\n{log.read_text()}")
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def split_shop(postgres, tmp_path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A tea with a voucher, served by the shop and pricing's service: (shop's URL, service)."""
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=20)
    ten_percent_voucher(usage_limit=1)
    secret = secrets.token_urlsafe(32)
    env = {
        **{k: v for k, v in os.environ.items() if k != "PRICING_SERVICE_URL"},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        **the_test_databases(),
        "PRICING_SERVICE_SECRET": secret,
    }
    pricing_port, shop_port = free_port(), free_port()
    pricing = start({**env, "SERVE": "pricing"}, pricing_port, tmp_path / "pricing.log")
    try:
        shop = start(
            {**env, "PRICING_SERVICE_URL": f"http://127.0.0.1:{pricing_port}"},
            shop_port,
            tmp_path / "shop.log",
        )
        try:
            yield f"http://127.0.0.1:{shop_port}", pricing
        finally:
            stop(shop)
    finally:
        stop(pricing)


def test_a_guest_buys_with_a_voucher_from_the_split_shop(split_shop, page):
    shop, pricing = split_shop
    page.goto(f"{shop}/products/green-tea/")
    expect(page.locator("main")).to_contain_text("EUR 12.50")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")
    page.get_by_label("Voucher code").fill("tenoff")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("main")).to_contain_text("10 % off your order")
    page.get_by_role("link", name="Checkout").click()

    page.get_by_label("E-mail").fill("guest@example.com")
    fill_shipping_address(page)
    page.get_by_role("button", name="Review your order").click()

    page.wait_for_url("**/checkout/review/")
    total = page.locator(".review-total").inner_text()
    page.get_by_role("button", name=re.compile(r"^Place order and pay")).click()
    page.wait_for_url("**/pay/")
    fill_sandbox_card(page)
    page.get_by_role("button", name=f"Pay {total}").click()

    page.wait_for_url("**/confirmation/")
    number = page.locator(".order-number").inner_text()
    order = Order.objects.get(number=number)
    assert str(order.grand_total_money) == total
    assert order.discount_total == Decimal("1.25")
    claims = VoucherRedemption.objects.filter(order_ref=number, released_at__isnull=True)
    assert [claim.voucher.code for claim in claims] == ["TENOFF"]

    stop(pricing)  # the prices were the service's: without it, the page has none
    page.goto(f"{shop}/products/green-tea/")
    expect(page.locator("main")).to_contain_text("Price unavailable")


def test_the_mobile_client_buys_over_the_composed_api_of_the_split_shop(split_shop):
    """The REST journey and the composed product detail, with prices from the service;
    without the service, the detail still answers, its prices marked unavailable."""
    shop, pricing = split_shop
    journey = mobile_client.guest_journey(shop)
    assert journey["variant"]["price"] == {"amount": "12.50", "currency": "EUR"}
    assert journey["payment"]["status"] == "captured"
    assert Order.objects.get(number=journey["order"]["number"]).status == "paid"

    stop(pricing)
    detail = mobile_client.product_screen(mobile_client.Api(shop), "TEA-1")
    assert [variant["price"] for variant in detail["variants"]] == [None]


def test_the_last_units_go_to_as_many_buyers_over_the_split_shop(split_shop):
    """Eight guests at once over HTTP for the last three units: three orders, no oversell,
    every other guest a clear refusal (not a server error)."""
    shop, _ = split_shop
    inventory_api.set_stock(sku="TEA-1", quantity=3)
    start_together = threading.Barrier(8)

    def buy_one(n: int) -> int | str:
        api = mobile_client.Api(shop)
        cart = mobile_client.open_cart(api)["token"]
        mobile_client.add_to_cart(api, cart, "TEA-1")
        start_together.wait(timeout=60)
        try:
            order, _, _ = mobile_client.buy(api, cart, f"guest{n}@example.com")
        except mobile_client.ApiError as refused:
            return refused.status
        return order["number"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(buy_one, range(8)))
    numbers = [outcome for outcome in outcomes if isinstance(outcome, str)]
    assert len(numbers) == 3, outcomes
    assert all(400 <= status < 500 for status in outcomes if isinstance(status, int)), outcomes
    assert Order.objects.filter(number__in=numbers).count() == 3
    (level,) = inventory_api.stock_levels(skus=["TEA-1"])
    assert (level.on_hand, level.allocated, level.available) == (3, 3, 0)
