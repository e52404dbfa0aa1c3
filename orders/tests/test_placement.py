"""One placement for both entry points: the storefront's final step and ``POST /api/v1/orders/``.

Both run ``checkout.checkout_place``: pricing's, inventory's and orders' steps
each in a transaction of their own, the earlier ones undone when a later one
fails (docs/orders.md, "Placing"). Proven here for each entry point:

* no step runs inside another step's transaction (none is open when a
  context's step starts), so nothing needs one database;
* a failure injected at each step leaves no order (nor its lines, its
  submission record or its ``order_placed`` event), no stock allocated or
  held beyond what the shopper held before, the voucher's last use free and
  the cart intact; the same submission then places exactly one order;
* a one-line order over the API costs a bounded number of SQL queries.

Compensations that fail themselves are in test_checkout_failures.py.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import pytest
from django.db import connections

from inventory.dtos import InsufficientStock, Shortage
from kernel.tests.outboxes import outbox_of
from kernel.tests.queries import captured_queries
from orders import rest
from orders import services as order_services
from orders.cart import services as carts
from orders.checkout import services as checkout
from orders.models import Cart, IdempotencyKey, Order, OrderLine, PlacedCheckout
from orders.tests.factories import BERLIN
from orders.tests.test_checkout import failing, stock
from orders.tests.test_checkout_failures import the_voucher_is_free
from pricing.dtos import Shopper, VoucherRejected

pytestmark = pytest.mark.usefixtures("shop")


class Storefront:
    """The shop's pages: details, review (which renders the one-time token), place."""

    def __init__(self, client) -> None:
        self.client = client
        details = {f"ship-{name}": value for name, value in BERLIN.as_dict().items()}
        self.client.get("/checkout/")  # holds the cart's stock
        chosen = {"email": "ada@example.com", "billing_same": "on", "shipping_method": "standard"}
        self.client.post("/checkout/", {**details, **chosen})
        self.token = self.client.get("/checkout/review/").context["form"]["token"].value()

    def submit(self):
        return self.client.post("/checkout/place/", {"token": self.token})

    @staticmethod
    def placed(answer) -> bool:
        return answer.status_code == 302 and answer["Location"].endswith("/pay/")

    @staticmethod
    def refused(answer) -> bool:
        """A refusal sends the shopper back to the review page with the reason."""
        return answer.status_code == 302 and answer["Location"] == "/checkout/review/"


class Api:
    """The app's checkout: one POST with the cart's token, an Idempotency-Key per submission."""

    def __init__(self, client) -> None:
        self.client = client
        self.key = str(uuid.uuid4())
        self.cart = Cart.objects.get().token

    def submit(self):
        return self.client.post(
            "/api/v1/orders/",
            {"cart": self.cart, "shipping_address": BERLIN.as_dict(),
             "shipping_method": "standard"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=self.key,
        )  # fmt: skip

    @staticmethod
    def placed(answer) -> bool:
        return answer.status_code == 201

    @staticmethod
    def refused(answer) -> bool:
        """A refusal is a problem document naming what ran out."""
        return (
            answer.status_code in (400, 409)
            and answer["Content-Type"] == "application/problem+json"
        )


ENTRY_POINTS = {"storefront": Storefront, "api": Api}


@pytest.fixture(params=ENTRY_POINTS.values(), ids=ENTRY_POINTS.keys())
def entry(request, client, customer):
    """A signed-in customer with two TEA-1 and the single-use voucher, ready to place."""
    cart = carts.cart_create(currency="EUR", customer_id=customer.pk)
    shopper = Shopper()
    carts.cart_add(cart=cart, sku="TEA-1", quantity=2, shopper=shopper)
    carts.voucher_apply(cart=cart, code="LASTONE", shopper=shopper)
    client.force_login(customer)
    client.raise_request_exception = False  # an injected fault is the 500 the caller sees
    return request.param(client)


def placed_orders() -> list[str]:
    return list(Order.objects.values_list("number", flat=True))


# --- No transaction spans two contexts -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_every_step_starts_outside_any_transaction(entry, monkeypatch):
    """Had a caller wrapped the placement in a transaction, it would be open here."""
    open_at: dict[str, list[str]] = {}

    def watched(name, target, attribute):
        real = getattr(target, attribute)

        def step(**kwargs):
            open_at[name] = [c.alias for c in connections.all() if c.in_atomic_block]
            return real(**kwargs)

        monkeypatch.setattr(target, attribute, step)

    watched("redeem vouchers", checkout.pricing_api, "redeem_vouchers")
    watched("allocate stock", checkout.inventory_api, "allocate")
    watched("create the order", checkout, "_create_order")
    assert entry.placed(entry.submit())
    assert open_at == {"redeem vouchers": [], "allocate stock": [], "create the order": []}


# --- A failure at each step -------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    target: object
    attribute: str
    error: BaseException
    refusal: bool  # the shopper is told why (else: the fault's 500)


DOWN = RuntimeError("service down")
FAULTS = {
    "redeem vouchers: used up": Fault(
        checkout.pricing_api, "redeem_vouchers", VoucherRejected("LASTONE", "used up"), True
    ),
    "redeem vouchers: down": Fault(checkout.pricing_api, "redeem_vouchers", DOWN, False),
    "allocate stock: short": Fault(
        checkout.inventory_api,
        "allocate",
        InsufficientStock([Shortage("TEA-1", 2, 1)]),
        True,
    ),
    "allocate stock: down": Fault(checkout.inventory_api, "allocate", DOWN, False),
    "create the order: down": Fault(checkout.services, "order_place", DOWN, False),
    "announce the order: outbox down": Fault(order_services, "publish", DOWN, False),
    "remember the submission: down": Fault(PlacedCheckout.objects, "create", DOWN, False),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_failure_at_each_step_leaves_nothing_half_made(entry, monkeypatch, caplog, fault):
    held_before = stock().reserved
    monkeypatch.setattr(fault.target, fault.attribute, failing(fault.error))
    with caplog.at_level(logging.CRITICAL):  # the injected 500's traceback
        answer = entry.submit()
    monkeypatch.undo()

    assert entry.refused(answer) if fault.refusal else answer.status_code == 500
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not PlacedCheckout.objects.exists()
    assert not outbox_of("orders").exists()
    level = stock()
    assert level.allocated == 0
    assert level.reserved <= held_before  # at most the shopper's own hold, never more
    cart = Cart.objects.get()
    assert (cart.placing_token, cart.lines.count(), cart.voucher_codes) == ("", 1, ["LASTONE"])
    assert not IdempotencyKey.objects.exists()  # the app may retry with the same key

    # The same submission, the fault gone, places one order. It redeems the voucher's
    # single use, so the failed attempt had left that use free.
    again = entry.submit()
    assert entry.placed(again), again.content
    assert len(placed_orders()) == 1
    assert stock().allocated == 2
    assert not the_voucher_is_free()


def test_an_order_whose_answer_was_lost_is_answered_on_retry_not_placed_again(
    client, customer, monkeypatch, caplog
):
    """The order committed, then answering failed: the same key finds it, the cart being gone."""
    cart = carts.cart_create(currency="EUR", customer_id=customer.pk)
    carts.cart_add(cart=cart, sku="TEA-1", quantity=1, shopper=Shopper())
    client.force_login(customer)
    client.raise_request_exception = False
    api = Api(client)
    monkeypatch.setattr(rest.selectors, "placed_order_detail", failing(ConnectionError("lost")))
    with caplog.at_level(logging.CRITICAL):
        assert api.submit().status_code == 500
    monkeypatch.undo()
    (number,) = placed_orders()
    assert not Cart.objects.exists()

    retry = api.submit()
    assert retry.status_code == 201
    assert not retry.has_header("Idempotent-Replayed")  # answered anew, from the order
    assert retry.json()["number"] == number
    assert placed_orders() == [number]


# --- What placing costs ---------------------------------------------------------

#: SQL statements, SAVEPOINTs included, on every database, of ``POST /api/v1/orders/``
#: placing a signed-in customer's one-line order (the aim: at most 30), with the
#: contexts' caches warm as under a surge, and with every cache off. Was 101, then 59;
#: docs/orders.md ("What placing costs") says where each one goes.
PLACING_QUERIES = {"warm": 30, "cold": 42}


@pytest.mark.parametrize("caches", ["warm", "cold"])
def test_placing_a_one_line_order_over_the_api_costs_at_most_30_queries(
    client, customer, request, caches
):
    def one_line_order() -> Api:
        cart = carts.cart_create(currency="EUR", customer_id=customer.pk)
        carts.cart_add(cart=cart, sku="TEA-1", quantity=1, shopper=Shopper())
        return Api(client)

    if caches == "cold":
        request.getfixturevalue("uncached")
    client.force_login(customer)
    assert one_line_order().submit().status_code == 201  # what each context caches, read once
    api = one_line_order()
    with captured_queries() as placing:
        answer = api.submit()
    assert answer.status_code == 201
    statements = [query["sql"] for query in placing.captured_queries]
    assert len(statements) <= PLACING_QUERIES[caches], "\n".join(statements)


#: SQL statements of the app's calls before placing (examples/mobile_client.py), signed in,
#: warm: the cart and its lines are read once per call, the chosen shipping method once.
APP_CALL_QUERIES = {"open cart": 8, "add line": 11, "review": 15}


def test_the_apps_calls_before_placing_read_each_thing_once(client, customer):
    client.force_login(customer)

    def call(path: str, body: dict, **headers: str) -> tuple[dict, int]:
        with captured_queries() as captured:
            answer = client.post(f"/api/v1{path}", body, content_type="application/json", **headers)
        assert answer.status_code in (200, 201), answer.content
        return answer.json(), len(captured)

    def one_order() -> dict[str, int]:
        cart, opening = call("/cart/", {})
        lines = f"/cart/{cart['token']}/lines/"
        _, adding = call(lines, {"sku": "TEA-2", "quantity": 1})
        details = {"shipping_address": BERLIN.as_dict(), "shipping_method": "standard"}
        review, reviewing = call(f"/cart/{cart['token']}/checkout/", details)
        total = review["grand_total"]["amount"]
        placing = {"cart": cart["token"], **details, "expected_total": total}
        call("/orders/", placing, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
        return {"open cart": opening, "add line": adding, "review": reviewing}

    one_order()  # what each context caches, read once
    counted = one_order()
    assert all(counted[call] <= most for call, most in APP_CALL_QUERIES.items()), counted
