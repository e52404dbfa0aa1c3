"""Parallel checkouts on PostgreSQL, through the REST endpoint, each thread on its own connection.

Five customers per unit race for the last units (50 for the last 10):
exactly one order per unit, stock never negative, every loser told why
(409 out_of_stock), no 500. 12 customers race for a voucher's last use: one order, the
others refused with the voucher's reason, and none of them keeps stock
allocated. 8 identical requests with one Idempotency-Key place one order
(the placement runs outside the key's transaction, so the key's claim and
the placing token must hold it).

Each thread holds a connection to every database a checkout touches (one
per context in split mode): the races are as wide as the server admits
(kernel.tests.parallel), still several buyers for each last unit.
"""

import json
import threading
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

from inventory import api as inventory_api
from kernel.tests.parallel import parallel_threads
from orders.cart import services as carts
from orders.models import Order
from orders.tests.factories import BERLIN
from pricing.dtos import Shopper

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("shop")]


def signed_in_carts(count: int, *, voucher: str = "") -> list[tuple[Client, str]]:
    """``count`` customers, each signed in with one unit of TEA-1 in their cart."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"racer{n}", email=f"racer{n}@example.com") for n in range(count)
    )
    shoppers = []
    for user in users:
        cart = carts.cart_create(currency="EUR", customer_id=user.pk)
        carts.cart_add(cart=cart, sku="TEA-1", quantity=1, shopper=Shopper())
        if voucher:
            carts.voucher_apply(cart=cart, code=voucher, shopper=Shopper())
        client = Client()
        client.force_login(user)
        shoppers.append((client, cart.token))
    return shoppers


def race(shoppers: list[tuple[Client, str]], key: str | None = None) -> list[tuple[int, str]]:
    """Every shopper checks out at once; returns (status code, body) of each answer.

    Each with an Idempotency-Key of its own, or all with ``key``.
    """
    barrier = threading.Barrier(len(shoppers), timeout=60)
    answers: list[tuple[int, str]] = []

    def check_out(client: Client, token: str) -> None:
        try:
            barrier.wait()
            response = client.post(
                "/api/v1/orders/",
                {
                    "cart": token,
                    "shipping_address": BERLIN.as_dict(),
                    "shipping_method": "standard",
                },
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
            )
            replayed = " (replayed)" if response.has_header("Idempotent-Replayed") else ""
            answers.append((response.status_code, response.content.decode() + replayed))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check_out, args=shopper) for shopper in shoppers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == len(shoppers), "a checkout never answered"
    return answers


def refusals(answers: list[tuple[int, str]]) -> list[str]:
    return [json.loads(body)["detail"] for code, body in answers if code != 201]


def stock():
    (level,) = inventory_api.stock_levels(skus=["TEA-1"])
    return level


@pytest.mark.django_db(transaction=True)
def test_five_checkouts_per_last_unit_make_exactly_one_order_per_unit(postgres):
    with parallel_threads(wanted=50, at_least=6) as buyers:
        units = max(1, buyers // 5)  # 50 buyers for the last 10 units, if the server admits them
        inventory_api.set_stock(sku="TEA-1", quantity=units)
        answers = race(signed_in_carts(buyers))
    assert sorted(code for code, _ in answers) == [201] * units + [409] * (buyers - units)
    for reason in refusals(answers):  # every loser is told which stock ran out
        assert reason.startswith("Not enough stock for your cart (TEA-1: only 0 left)"), reason
    assert Order.objects.count() == units
    level = stock()
    assert (level.on_hand, level.allocated) == (units, units)
    assert level.available == 0


@pytest.mark.django_db(transaction=True)
def test_the_last_use_of_a_voucher_is_redeemed_once(postgres):
    with parallel_threads(wanted=12, at_least=4) as customers:
        answers = race(signed_in_carts(customers, voucher="LASTONE"))
    assert sorted(code for code, _ in answers) == [201] + [409] * (customers - 1)
    for reason in refusals(answers):  # every loser is told which voucher is used up
        assert "LASTONE" in reason, reason
    (order,) = Order.objects.all()
    assert order.voucher_codes == ["LASTONE"]
    assert order.discount_total == Decimal("1.25")
    assert stock().allocated == 1  # the refused checkouts leaked no stock


@pytest.mark.django_db(transaction=True)
def test_parallel_submits_of_the_final_step_place_one_order(postgres):
    """A double (or octuple) click on "Place order": the same form token, in parallel."""
    guest = Client()
    guest.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    address = {f"ship-{name}": value for name, value in BERLIN.as_dict().items()}
    guest.post(
        "/checkout/",
        {**address, "email": "g@example.com", "billing_same": "on", "shipping_method": "standard"},
    )
    token = guest.get("/checkout/review/").context["form"]["token"].value()
    answers: list[tuple[int, str]] = []

    def submit(client: Client) -> None:
        try:
            barrier.wait()
            answer = client.post("/checkout/place/", {"token": token})
            answers.append((answer.status_code, answer.get("Location", "")))
        finally:
            connections.close_all()

    with parallel_threads(wanted=8, at_least=4) as count:
        clicks = []
        for _ in range(count):
            click = Client()
            click.cookies = guest.cookies
            clicks.append(click)
        barrier = threading.Barrier(len(clicks), timeout=60)
        threads = [threading.Thread(target=submit, args=(click,)) for click in clicks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    (order,) = Order.objects.all()
    # every click: the first order
    assert answers == [(302, f"/orders/{order.number}/pay/")] * count
    assert stock().allocated == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_retries_with_one_idempotency_key_place_one_order(postgres):
    """An app retrying in a hurry: 8 identical requests at once, one key, one order."""
    ((_, token),) = signed_in_carts(1)
    with parallel_threads(wanted=8, at_least=4) as retries:
        tabs = [Client() for _ in range(retries)]  # one client per thread, all the racer
        for tab in tabs:
            tab.force_login(get_user_model().objects.get(username="racer0"))
        answers = race([(tab, token) for tab in tabs], key="the-app-retries")
    (order,) = Order.objects.all()
    for code, body in answers:  # placed, its answer replayed, or "still in flight"
        assert code in (201, 409), body
        if code == 201:
            assert json.loads(body.removesuffix(" (replayed)"))["number"] == order.number
    assert [code for code, _ in answers].count(201) >= 1
    assert stock().allocated == 1
