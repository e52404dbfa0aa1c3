"""The orders REST API: one's own orders only, payments, staff capture and refund, webhooks."""

import json

import pytest
from django.test import Client

from kernel.rest import PROBLEM_MEDIA_TYPE
from orders import payments
from orders.models import Payment, PaymentRefund, SandboxCharge
from orders.providers import sandbox
from orders.providers.base import Card
from orders.tests.factories import line, place

pytestmark = pytest.mark.django_db

VISA = {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2099, "cvc": "123"}
THREE_D = "4000000000003220"  # the sandbox asks for a confirmation


def post(client, url, data=None, key="key-1", **headers):
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(url, data or {}, content_type="application/json", **headers)


@pytest.fixture
def api(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def order(customer):
    return place(customer_id=customer.pk)


@pytest.fixture
def others_order(other_customer):
    return place(customer_id=other_customer.pk, email="grace@example.com")


def test_a_customer_lists_and_reads_only_their_own_orders(api, order, others_order):
    listed = api.get("/api/v1/orders/").json()
    detail = api.get(f"/api/v1/orders/{order.number}/").json()

    assert [o["number"] for o in listed["results"]] == [order.number]
    assert (listed["count"], listed["page"], listed["page_count"]) == (1, 1, 1)
    assert listed["results"][0]["grand_total"] == {"amount": "29.90", "currency": "EUR"}
    assert detail["lines"][0]["sku"] == "TEA-1"
    assert detail["shipping_address"]["city"] == "Berlin"


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/orders/{number}/", None),
        ("post", "/api/v1/orders/{number}/payments/", {"provider": "sandbox", "card": VISA}),
        ("post", "/api/v1/orders/{number}/payments/{payment}/confirm/", {"token": "x"}),
    ],
)
def test_another_customers_order_is_not_found(api, others_order, method, url, body):
    payment = Payment.objects.create(
        order=others_order, provider="sandbox", status="requires_action", currency="EUR"
    )
    target = url.format(number=others_order.number, payment=payment.pk)
    response = api.get(target) if method == "get" else post(api, target, body)

    assert response.status_code == 404
    assert Payment.objects.count() == 1


def test_customers_cannot_capture_or_refund_even_their_own_order(api, order):
    payment = Payment.objects.create(
        order=order,
        provider="bank_transfer",
        status="pending",
        currency="EUR",
        amount=order.grand_total,
    )
    assert (
        post(api, f"/api/v1/orders/{order.number}/payments/{payment.pk}/capture/").status_code
        == 403
    )
    assert post(api, f"/api/v1/orders/{order.number}/refunds/", {"reason": "x"}).status_code == 403


def test_anonymous_callers_get_nothing(order):
    client = Client()
    assert client.get("/api/v1/orders/").status_code == 401
    assert client.get(f"/api/v1/orders/{order.number}/").status_code == 401


def test_paying_with_an_approved_card(api, order):
    response = post(
        api,
        f"/api/v1/orders/{order.number}/payments/",
        {"provider": "sandbox", "card": VISA},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["method"]) == ("captured", "Visa •••• 4242")
    assert body["captured"]["amount"] == "29.90"  # the order's total
    assert api.get(f"/api/v1/orders/{order.number}/").json()["status"] == "paid"


def test_a_client_sent_amount_is_refused_and_nothing_is_paid(api, order):
    response = post(
        api,
        f"/api/v1/orders/{order.number}/payments/",
        {"provider": "sandbox", "card": VISA, "amount": "0.01"},
    )

    assert response.status_code == 400  # bodies are closed (docs/decisions/0015)
    assert response.json()["errors"] == {"amount": ["Not a field of this request."]}
    assert api.get(f"/api/v1/orders/{order.number}/").json()["status"] != "paid"


def test_a_declined_card_is_a_402_with_the_failed_payment(api, order):
    response = post(
        api,
        f"/api/v1/orders/{order.number}/payments/",
        {"provider": "sandbox", "card": {**VISA, "number": "4000000000000002"}},
    )
    assert response.status_code == 402
    assert response.json()["status"] == "failed"


def test_three_d_secure_over_rest(api, order):
    started = post(
        api,
        f"/api/v1/orders/{order.number}/payments/",
        {"provider": "sandbox", "card": {**VISA, "number": "4000000000003220"}},
    )
    assert started.status_code == 201
    assert started.json()["status"] == "requires_action"
    token = SandboxCharge.objects.get().action_token

    confirmed = post(
        api,
        f"/api/v1/orders/{order.number}/payments/{started.json()['id']}/confirm/",
        {"token": token},
        key="key-2",
    )

    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "captured"


def test_bad_payment_requests_are_field_errors(api, order):
    no_card = post(api, f"/api/v1/orders/{order.number}/payments/", {"provider": "sandbox"})
    bad_card = post(
        api,
        f"/api/v1/orders/{order.number}/payments/",
        {"provider": "sandbox", "card": {**VISA, "cvc": "x"}},
        key="k2",
    )
    unknown = post(api, f"/api/v1/orders/{order.number}/payments/", {"provider": "iou"}, key="k3")

    assert bad_card.status_code == unknown.status_code == 400  # the schema says no
    assert no_card.status_code == 422  # the schema allows it: only a card method needs one
    assert no_card.json()["errors"] == {"card": ["Card details are required."]}
    assert "card.cvc" in bad_card.json()["errors"]
    assert "provider" in unknown.json()["errors"]
    assert not Payment.objects.exists()


def test_a_payment_the_state_does_not_allow_is_a_409_conflict(api, order):
    """A payment in progress (3-D Secure waiting), then a confirmation nothing waits for."""
    pays = f"/api/v1/orders/{order.number}/payments/"
    waiting = post(api, pays, {"provider": "sandbox", "card": {**VISA, "number": THREE_D}})
    assert waiting.json()["status"] == "requires_action"
    again = post(api, pays, {"provider": "sandbox", "card": VISA}, key="k2")
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    confirm = f"{pays}{waiting.json()['id']}/confirm/"
    assert post(api, confirm, {"token": "wrong"}, key="k3").status_code == 402
    twice = post(api, confirm, {"token": "wrong"}, key="k4")
    assert (twice.status_code, twice.json()["code"]) == (409, "conflict")


def test_staff_capture_a_bank_transfer_and_refund_part(client, clerk, customer, order):
    client.force_login(customer)
    started = post(
        client, f"/api/v1/orders/{order.number}/payments/", {"provider": "bank_transfer"}
    )
    assert started.json()["status"] == "pending"

    client.force_login(clerk)
    captured = post(
        client, f"/api/v1/orders/{order.number}/payments/{started.json()['id']}/capture/", key="c1"
    )
    refunded = post(
        client,
        f"/api/v1/orders/{order.number}/refunds/",
        {"amount": "5.00", "reason": "Late"},
        key="r1",
    )
    too_much = post(
        client,
        f"/api/v1/orders/{order.number}/refunds/",
        {"amount": "500", "reason": "x"},
        key="r2",
    )

    assert captured.json()["status"] == "captured"
    assert refunded.status_code == 201
    assert refunded.json()["status"] == "partially_refunded"
    assert refunded.json()["refunded_total"]["amount"] == "5.00"
    assert too_much.status_code == 422  # well formed: refused by what is left to refund
    assert "at most" in too_much.json()["errors"]["amount"][0]
    finer = post(
        client,
        f"/api/v1/orders/{order.number}/refunds/",
        {"amount": "0.005", "reason": "x"},
        key="r3",
    )
    assert finer.status_code == 422
    assert finer.json()["errors"] == {"amount": ["EUR has 2 decimals."]}


def test_session_posts_without_csrf_token_are_refused(customer, order):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)

    response = post(
        client, f"/api/v1/orders/{order.number}/payments/", {"provider": "sandbox", "card": VISA}
    )

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Payment.objects.exists()


# --- webhooks -------------------------------------------------------------------


def signed(payload: dict) -> tuple[bytes, str]:
    body = json.dumps(payload).encode()
    return body, sandbox.sign(body)


def webhook(body: bytes, signature: str | None, provider="sandbox"):
    headers = {"HTTP_SANDBOX_SIGNATURE": signature} if signature is not None else {}
    return Client(enforce_csrf_checks=True).post(
        f"/api/v1/payments/webhooks/{provider}/", body, content_type="application/json", **headers
    )


def test_a_signed_webhook_is_applied_once(api, order):
    started = post(
        api,
        f"/api/v1/orders/{order.number}/payments/",
        {"provider": "sandbox", "card": {**VISA, "number": "4000000000003220"}},
    )
    body, signature = signed(
        {"id": "evt_9", "type": "payment.failed", "reference": Payment.objects.get().reference}
    )

    first, again = webhook(body, signature), webhook(body, signature)

    assert (first.status_code, first.json()) == (200, {"result": "applied"})
    assert (again.status_code, again.json()) == (200, {"result": "duplicate"})
    assert Payment.objects.get(pk=started.json()["id"]).status == "failed"


@pytest.mark.parametrize(
    ("body", "signature", "provider", "expected"),
    [
        (b'{"id": "e", "type": "payment.failed", "reference": "r"}', "t=1,v1=bad", "sandbox", 400),
        (b'{"id": "e", "type": "payment.failed", "reference": "r"}', None, "sandbox", 400),
        (b"\xff\xfe garbage", "sign", "sandbox", 400),
        (b"[]", "sign", "sandbox", 400),
        (b"{}", "sign", "bank_transfer", 400),
        (b"{}", "sign", "nobody", 404),
    ],
)
def test_a_bad_webhook_is_a_4xx_problem_never_a_500(body, signature, provider, expected):
    if signature == "sign":
        signature = sandbox.sign(body)
    response = webhook(body, signature, provider)
    assert response.status_code == expected
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["code"] == ("invalid_webhook" if expected == 400 else "not_found")


def test_rest_query_counts_do_not_grow_with_orders_or_lines(
    api, customer, django_assert_max_num_queries
):
    for _ in range(5):
        place(customer_id=customer.pk)
    big = place(*(line(f"SKU-{i}") for i in range(12)), customer_id=customer.pk)

    with django_assert_max_num_queries(5):
        assert api.get("/api/v1/orders/").json()["count"] == 6
    with django_assert_max_num_queries(8):
        assert len(api.get(f"/api/v1/orders/{big.number}/").json()["lines"]) == 12


@pytest.mark.parametrize(
    "body",
    ["[1]", '"x"', "not json", '{"provider": ["sandbox"]}', '{"provider": "sandbox", "card": 1}'],
)
def test_malformed_payment_bodies_are_a_400_and_release_the_key(api, order, body):
    response = api.post(
        f"/api/v1/orders/{order.number}/payments/",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert response.status_code == 400
    assert not Payment.objects.exists()
    assert (
        post(
            api, f"/api/v1/orders/{order.number}/payments/", {"provider": "bank_transfer"}, key="k"
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    "body", ["[1]", '{"amount": "lots", "reason": "x"}', '{"amount": "-1", "reason": "x"}', "{}"]
)
def test_malformed_refunds_of_a_paid_order_are_a_400(client, clerk, order, body):
    """The order is paid, so only the body's validation can refuse the refund."""
    payments.payment_start(
        order_id=order.pk, provider_code="sandbox", card=Card(**VISA), actor="customer"
    )
    client.force_login(clerk)
    url = f"/api/v1/orders/{order.number}/refunds/"
    response = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="r")
    assert response.status_code == 400
    assert not PaymentRefund.objects.exists()
    assert post(client, url, {"reason": "damaged"}, key="r").status_code == 201  # well-formed


def test_the_order_list_is_paginated(api, customer):
    numbers = [place(customer_id=customer.pk).number for _ in range(21)]
    second = api.get("/api/v1/orders/?page=2").json()
    assert (second["count"], second["page"], second["page_count"]) == (21, 2, 2)
    assert [o["number"] for o in second["results"]] == [numbers[0]]  # the oldest
    for page in ("x", "0", "null"):  # as the schema says: a whole number from 1
        refused = api.get(f"/api/v1/orders/?page={page}")
        assert (refused.status_code, list(refused.json()["errors"])) == (400, ["page"])
    past = api.get("/api/v1/orders/?page=3")  # names nothing, as on every list
    assert (past.status_code, past.json()["detail"]) == (404, "page 3 of 2")
