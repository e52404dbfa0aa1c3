"""Order history, order detail and guest lookup on the storefront."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from orders import payments, services
from orders.providers.base import Card
from orders.tests.factories import line, place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def test_history_lists_only_ones_own_orders(signed_in, customer, other_customer):
    mine = place(customer_id=customer.pk)
    theirs = place(customer_id=other_customer.pk)

    page = signed_in.get("/orders/").content.decode()

    assert mine.number in page
    assert theirs.number not in page
    assert "EUR 29.90" in page


def test_a_day_is_written_as_each_language_writes_it(signed_in, customer):
    placed = timezone.localtime(place(customer_id=customer.pk).placed_at)

    english = signed_in.get("/orders/").content.decode()
    german = signed_in.get("/de/orders/").content.decode()

    assert f"{placed.day} {placed:%b} {placed.year}" in english  # 2 Dec 2026
    assert f"{placed:%d.%m.%Y}" in german  # 02.12.2026


def test_the_detail_shows_lines_totals_addresses_shipments_and_payment(signed_in, customer):
    order = place(
        line("TEA-1", quantity=2), line("MUG-1", quantity=1, unit="9.00"), customer_id=customer.pk
    )
    payments.payment_start(
        order_id=order.pk,
        provider_code="sandbox",
        card=Card(number="4242424242424242", exp_month=1, exp_year=2099, cvc="123"),
        actor="customer",
    )
    services.order_ship(order_id=order.pk, actor="staff", tracking_number="1Z42", carrier="UPS")

    page = signed_in.get(f"/orders/{order.number}/").content.decode()

    for text in [
        "Tea TEA-1",
        "Tea MUG-1",
        "EUR 38.90",
        "10115 Berlin",
        "tracking 1Z42",
        "<span>2 \u00d7 Tea TEA-1</span>",  # the parcel's lines by name, not by SKU
        "Visa •••• 4242",
        "Shipped",
    ]:
        assert text in page


def test_signed_in_pages_need_a_sign_in(client):
    assert client.get("/orders/")["Location"].startswith("/account/sign-in/")


@pytest.mark.parametrize("url", ["/orders/{number}/", "/orders/lookup/{number}/"])
def test_another_customers_order_is_a_404_on_every_page(signed_in, other_customer, url):
    theirs = place(customer_id=other_customer.pk, email="grace@example.com")
    assert signed_in.get(url.format(number=theirs.number)).status_code == 404


def test_a_guest_finds_their_order_with_number_and_email():
    order = place(email="guest@example.com")
    client = Client()

    response = client.post(
        "/orders/lookup/",
        {"number": order.number.lower().replace("-", " "), "email": "GUEST@example.com"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/orders/lookup/{order.number}/"
    assert order.number in client.get(response["Location"]).content.decode()
    assert Client().get(response["Location"]).status_code == 404  # another browser: not granted


def test_a_wrong_email_finds_nothing_and_attempts_are_throttled():
    order = place(email="guest@example.com")
    client = Client()
    for _ in range(10):
        response = client.post(
            "/orders/lookup/", {"number": order.number, "email": "thief@example.com"}
        )
        assert "found no order" in response.content.decode()

    blocked = client.post("/orders/lookup/", {"number": order.number, "email": "guest@example.com"})

    assert "Too many attempts" in blocked.content.decode()


def test_the_lookup_form_needs_its_csrf_token():
    order = place(email="guest@example.com")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/orders/lookup/", {"number": order.number, "email": "guest@example.com"}
    )
    assert response.status_code == 403


def test_page_queries_do_not_grow_with_the_number_of_orders_or_lines(
    signed_in, customer, django_assert_max_num_queries
):
    for n in range(6):
        place(*(line(f"SKU-{n}-{i}") for i in range(4)), customer_id=customer.pk)
    order = place(*(line(f"BIG-{i}") for i in range(10)), customer_id=customer.pk)

    # Both pages read their lines' pictures from the catalog in one batch (pictures.py).
    with django_assert_max_num_queries(11):
        signed_in.get("/orders/")
    with django_assert_max_num_queries(14):
        signed_in.get(f"/orders/{order.number}/")
