"""An Idempotency-Key replay answers the very bytes of the first response.

Run on SQLite and on PostgreSQL (`make test`): jsonb reorders the keys of a
stored JSON value, so only stored bytes replay exactly there.
"""

import json

import pytest

from orders.models import IdempotencyKey
from orders.tests.factories import BERLIN, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shop")]

VISA = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2099, "cvc": "123"}
#: Non-ASCII, and in an order of keys that is neither sorted nor jsonb's (length first).
ZOE = {**BERLIN.as_dict(), "full_name": "Zoë Ångström-Ünal 東京", "city": "Köln"}


def post(client, url: str, body: dict, key: str):
    return client.post(
        url, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def assert_replayed_exactly(first, again) -> None:
    assert again["Idempotent-Replayed"] == "true"
    assert again.status_code == first.status_code
    assert again["Content-Type"] == first["Content-Type"]
    assert again.content == first.content
    stored = IdempotencyKey.objects.get(state=IdempotencyKey.State.DONE)
    assert bytes(stored.response_bytes) == first.content


def test_placing_an_order_replays_byte_for_byte(client, customer):
    client.force_login(customer)
    token = client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    client.post(
        f"/api/v1/cart/{token}/lines/",
        {"sku": "TEA-1", "quantity": 3},
        content_type="application/json",
    )
    body = {"cart": token, "shipping_address": ZOE, "shipping_method": "standard"}

    first = post(client, "/api/v1/orders/", body, key="order-1")
    again = post(client, "/api/v1/orders/", body, key="order-1")

    assert first.status_code == 201
    assert "Zoë Ångström-Ünal 東京".encode() in first.content  # UTF-8, not \u escapes
    assert b'"amount":"37.50"' in first.content  # a Decimal as a money string
    assert_replayed_exactly(first, again)


def test_a_payment_replays_byte_for_byte(client, customer):
    client.force_login(customer)
    order = place(customer_id=customer.pk, shipping_address=BERLIN.__class__(**ZOE))
    url = f"/api/v1/orders/{order.number}/payments/"
    body = {"provider": "sandbox", "card": VISA}

    first = post(client, url, body, key="pay-1")
    again = post(client, url, body, key="pay-1")

    assert first.status_code == 201
    assert b'"amount":"29.90"' in first.content
    assert_replayed_exactly(first, again)
