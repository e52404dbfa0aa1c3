"""Every admin page a superuser can open shows money as money and lists as text.

The sweep renders each registered model's changelist and the change page of
its first object in a small but complete shop (tests/shop.py), and again in
the seeded demo with its orders (and an order of each status), and fails on
anything that betrays the storage under the page: Decimal reprs, JSON
lists, and amounts with more decimals than a currency has.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from demo import catalog_seed
from demo.inventory_seed import seed_second_warehouse
from demo.orders_seed import seed_orders
from demo.pricing_seed import seed_pricing
from demo.reviews_seed import seed_reviews
from kernel import relay
from kernel.tests.queries import captured_queries
from orders.models import Order

#: Text a shop manager should never see: reprs and JSON of empty or string lists.
LEAKS = re.compile(r"Decimal\(|\[\]|\[&quot;|\[\"|\['|Discount:\s*\S*\s*[-\u2212]")
#: An amount with three or more decimals (none of the shop's currencies has three).
LONG_AMOUNT = re.compile(r"(?<![\w.:/-])\d{1,3}(?:,\d{3})*\.\d{3,}(?![\w.-])")


def _visible_text(html: str) -> str:
    """What a manager reads: the text, and the values in the form fields."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<input\b[^>]*?\bvalue=\"([^\"]*)\"[^>]*>", r" \1 ", html)
    return re.sub(r"<[^>]*>", " ", html)


def _pages():
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        yield model, model_admin, f"admin:{opts.app_label}_{opts.model_name}"


def _problems(client, urls) -> tuple[int, list]:
    """How many pages were opened, and the leaks found on them."""
    checked, problems = 0, []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        found = LEAKS.findall(text) + LONG_AMOUNT.findall(text)
        if found:
            problems.append((url, sorted(set(found))))
        checked += 1
    return checked, problems


def _every_list_and_first_object():
    for model, _model_admin, prefix in _pages():
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            yield reverse(f"{prefix}_changelist")
            yield reverse(f"{prefix}_change", args=[obj.pk])


def test_every_admin_page_shows_money_as_money_and_lists_as_text(shop, superuser_client):
    checked, problems = _problems(superuser_client, _every_list_and_first_object())
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems)
    assert checked >= 40


@pytest.fixture
def demo_shop(db, monkeypatch, settings, tmp_path):
    """The demo, small: every seed (catalog, stock, pricing, reviews) and three months of orders."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(catalog_seed, "PRODUCTS_PER_CATEGORY", 2)
    catalog_seed.seed_catalog_prices_stock(with_images=False)
    seed_second_warehouse()
    seed_pricing()
    seed_reviews()
    relay.relay(dispatch=relay.deliver_due)
    seed_orders(count=120)
    relay.relay(dispatch=relay.deliver_due)


def test_every_admin_page_of_the_demo_with_its_orders_shows_money_as_money(
    demo_shop, superuser_client
):
    """The demo's orders carry what the small shop lacks: refunds, parcels, discounts, USD."""
    statuses = Order.objects.values_list("status", flat=True).distinct()
    first_of_each = [
        Order.objects.filter(status=status).order_by("pk").values_list("pk", flat=True)[0]
        for status in statuses
    ]
    assert len(first_of_each) >= 6
    urls = [
        *_every_list_and_first_object(),
        *(reverse("admin:orders_order_change", args=[pk]) for pk in first_of_each),
    ]

    checked, problems = _problems(superuser_client, urls)

    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems)
    assert checked >= 50


def test_every_admin_list_of_the_demo_costs_the_same_queries_for_3_rows_or_30(
    demo_shop, superuser_client, monkeypatch
):
    """A list's cost is its page's, never a query per row it shows (an N+1 in a column, a
    filter or an inline count): each list with rows enough, shown 3 and 30 to a page."""
    compared, growing = 0, []
    for model, model_admin, prefix in _pages():
        if model._default_manager.count() < 30:
            continue
        url = reverse(f"{prefix}_changelist")
        superuser_client.get(url)  # caches warm, as for the two compared
        costs = []
        for per_page in (3, 30):
            monkeypatch.setattr(model_admin, "list_per_page", per_page)
            with captured_queries() as queries:
                assert superuser_client.get(url).status_code == 200, url
            costs.append(len(queries))
        if costs[0] != costs[1]:
            growing.append(f"{url}: {costs[0]} queries for 3 rows, {costs[1]} for 30")
        compared += 1
    assert not growing, "\n".join(growing)
    assert compared >= 8
