"""Payments through the sandbox and offline providers: outcomes, refusals, no card data."""

import json
import time
from datetime import date
from decimal import Decimal

import pytest

from kernel.databases import connection_of
from kernel.tests.outboxes import payloads, published
from orders import payments
from orders.dtos import InvalidOrder, PaymentError, TransitionNotAllowed
from orders.models import Payment, ProcessedWebhook, SandboxCharge
from orders.providers import sandbox
from orders.providers.base import Card, InvalidWebhook
from orders.tests.factories import eur, place

pytestmark = pytest.mark.django_db


def card(number: str, **fields) -> Card:
    return Card(**{"number": number, "exp_month": 12, "exp_year": 2099, "cvc": "123", **fields})


def pay(order, number="4242 4242 4242 4242", **fields) -> Payment:
    return payments.payment_start(
        order_id=order.pk, provider_code="sandbox", card=card(number, **fields), actor="customer:1"
    )


def test_an_approved_card_is_captured_and_the_order_is_paid():
    order = place()
    payment = pay(order)

    order.refresh_from_db()
    assert (payment.status, payment.card_brand, payment.card_last4) == ("captured", "visa", "4242")
    assert payment.captured_amount == order.grand_total
    assert order.status == "paid"
    (paid,) = payloads("orders.order_paid.v1")
    assert paid["provider"] == "sandbox"


def test_no_card_number_is_stored_anywhere():
    pay(place(), number="5555555555554444")
    with connection_of("orders").cursor() as cursor:
        for model in (Payment, SandboxCharge):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")
            assert "5555555555554444" not in repr(cursor.fetchall())
    assert "5555555555554444" not in repr(card("5555555555554444"))


@pytest.mark.parametrize(
    ("number", "fields", "reason"),
    [
        ("4000000000000002", {}, "card_declined"),
        ("4000000000009995", {}, "insufficient_funds"),
        ("4111111111111111", {}, "not_a_test_card"),
        ("4242424242424241", {}, "invalid_number"),
        ("4242424242424242", {"exp_year": 2001}, "expired_card"),
        ("4242424242424242", {"cvc": "12"}, "invalid_cvc"),
    ],
)
def test_a_declined_card_is_a_failed_payment_and_the_order_waits(number, fields, reason):
    order = place()
    payment = pay(order, number, **fields)

    order.refresh_from_db()
    assert (payment.status, payment.failure_reason) == ("failed", reason)
    assert order.status == "pending_payment"
    assert pay(order).status == "captured"  # a new attempt with another card may follow


def test_three_d_secure_needs_the_confirmation_token():
    order = place()
    payment = pay(order, "4000000000003220")
    assert payment.status == "requires_action"
    token = SandboxCharge.objects.get().action_token
    assert token in payment.next_action

    confirmed = payments.payment_confirm(payment_id=payment.pk, token=token, actor="customer:1")

    order.refresh_from_db()
    assert (confirmed.status, order.status) == ("captured", "paid")


def test_a_wrong_confirmation_fails_the_payment():
    order = place()
    payment = pay(order, "4000000000003220")
    failed = payments.payment_confirm(payment_id=payment.pk, token="guess", actor="customer:1")
    assert (failed.status, failed.failure_reason) == ("failed", "authentication_failed")
    with pytest.raises(PaymentError):
        payments.payment_confirm(payment_id=payment.pk, token="guess", actor="customer:1")


def test_a_second_payment_while_one_is_open_is_refused():
    order = place()
    payments.payment_start(order_id=order.pk, provider_code="bank_transfer", actor="customer:1")
    with pytest.raises(PaymentError, match="already has a payment"):
        pay(order)
    assert Payment.objects.count() == 1


def test_only_an_order_awaiting_payment_can_be_paid_and_only_by_known_providers():
    order = place()
    pay(order)
    with pytest.raises(TransitionNotAllowed):
        pay(order)
    with pytest.raises(PaymentError, match="Unknown payment method"):
        payments.payment_start(order_id=place().pk, provider_code="bitcoin", actor="customer:1")


def test_bank_transfer_waits_for_staff_to_capture_and_can_be_voided(settings):
    order = place()
    payment = payments.payment_start(
        order_id=order.pk, provider_code="bank_transfer", actor="customer:1"
    )
    assert payment.status == "pending"
    assert "reference CM-" in payment.next_action

    payments.payment_capture(payment_id=payment.pk, actor="staff:2 (bob)")

    order.refresh_from_db()
    assert order.status == "paid"
    assert order.transitions.last().actor == "staff:2 (bob)"
    with pytest.raises(PaymentError):
        payments.payment_void(payment_id=payment.pk, actor="staff")


def test_without_auto_capture_staff_capture_card_payments(settings):
    settings.ORDERS_AUTO_CAPTURE = False
    order = place()
    payment = pay(order)
    assert payment.status == "authorized"
    order.refresh_from_db()
    assert order.status == "pending_payment"

    payments.payment_capture(payment_id=payment.pk, actor="staff")
    order.refresh_from_db()
    assert order.status == "paid"
    with pytest.raises(PaymentError):
        payments.payment_capture(payment_id=payment.pk, actor="staff")


def test_partial_then_full_refund():
    order = place()
    pay(order)

    payments.order_refund(
        order_id=order.pk, amount=eur("10.00"), actor="staff", reason="Dented tin"
    )
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == ("partially_refunded", Decimal("10.000"))

    with pytest.raises(InvalidOrder):
        payments.order_refund(order_id=order.pk, amount=eur("100.00"), actor="staff", reason="")

    payments.order_refund(order_id=order.pk, actor="staff", reason="Returned")  # the rest
    order.refresh_from_db()
    assert order.status == "refunded"
    assert order.refunded_total == order.grand_total
    refunded = payloads("orders.order_refunded.v1")
    assert [e["full"] for e in refunded] == [False, True]
    assert order.payments.get().status == "refunded"
    assert SandboxCharge.objects.get().refunded == order.grand_total


def test_an_unpaid_order_cannot_be_refunded():
    order = place()
    with pytest.raises(TransitionNotAllowed):
        payments.order_refund(order_id=order.pk, actor="staff", reason="")


def test_the_sandbox_refuses_what_a_real_provider_refuses():
    order = place()
    payment = pay(order)
    provider = sandbox.SandboxProvider()
    with pytest.raises(PaymentError):
        provider.capture(reference=payment.reference, amount=eur("1.00"))  # already captured
    with pytest.raises(PaymentError):
        provider.refund(reference=payment.reference, amount=eur("1000.00"))
    again = provider.authorize(
        amount=eur("1.00"),
        order_number=order.number,
        card=None,
        idempotency_key=f"{order.number}:1",
    )
    assert again.reference == payment.reference  # same idempotency key, same charge


# --- webhooks -------------------------------------------------------------------


def webhook(
    event_type: str, reference: str, *, event_id="evt_1", amount=None, secret=None, at=None
):
    body = json.dumps(
        {"id": event_id, "type": event_type, "reference": reference, "amount": amount}
    ).encode()
    return body, {sandbox.SIGNATURE_HEADER: sandbox.sign(body, timestamp=at, secret=secret)}


def receive(body, headers) -> str:
    return payments.webhook_receive(provider_code="sandbox", body=body, headers=headers)


def test_a_signed_webhook_completes_a_three_d_secure_payment_once():
    order = place()
    payment = pay(order, "4000000000003220")
    # The shopper passes the challenge at their bank, but never comes back to the shop:
    sandbox.SandboxProvider().confirm(
        reference=payment.reference, token=SandboxCharge.objects.get().action_token
    )

    assert receive(*webhook("payment.authorized", payment.reference)) == "applied"
    assert receive(*webhook("payment.authorized", payment.reference)) == "duplicate"

    order.refresh_from_db()
    assert order.status == "paid"
    assert published("orders.order_paid.v1").count() == 1


def test_a_refund_made_at_the_provider_is_recorded():
    order = place()
    payment = pay(order)
    receive(*webhook("payment.refunded", payment.reference, amount="5.00"))
    order.refresh_from_db()
    assert (order.status, order.refunded_total) == ("partially_refunded", Decimal("5.000"))


@pytest.mark.parametrize(
    "forge",
    [
        lambda body, headers: (body, {sandbox.SIGNATURE_HEADER: "t=1,v1=00"}),
        lambda body, headers: (body, {}),
        lambda body, headers: (body.replace(b"evt_1", b"evt_2"), headers),
        lambda body, headers: webhook("payment.failed", "x", secret="not-ours"),
        lambda body, headers: webhook("payment.failed", "x", at=int(time.time()) - 3600),
        lambda body, headers: (b"not json", {sandbox.SIGNATURE_HEADER: sandbox.sign(b"not json")}),
        lambda body, headers: webhook("payment.refunded", "x", amount="NaN"),
        lambda body, headers: webhook("payment.refunded", "x", amount="-5"),
        lambda body, headers: webhook("payment.failed", "x", event_id="e" * 101),
    ],
    ids=[
        "bad-signature",
        "no-signature",
        "tampered",
        "other-secret",
        "stale",
        "not-json",
        "nan-amount",
        "negative-amount",
        "overlong-id",
    ],
)
def test_a_webhook_that_is_not_from_the_provider_changes_nothing(forge):
    order = place()
    payment = pay(order, "4000000000003220")
    body, headers = forge(*webhook("payment.failed", payment.reference))

    with pytest.raises(InvalidWebhook):
        receive(body, headers)

    payment.refresh_from_db()
    assert payment.status == "requires_action"
    assert not ProcessedWebhook.objects.exists()


def test_a_webhook_about_an_unknown_payment_is_acknowledged_and_ignored():
    assert receive(*webhook("payment.captured", "sbx_nobody")) == "ignored"


def test_a_webhook_that_contradicts_the_provider_is_refused_without_changes():
    order = place()
    payment = pay(order, "4000000000003220")  # the shopper never passed the challenge
    assert receive(*webhook("payment.authorized", payment.reference)) == "refused"
    payment.refresh_from_db()
    assert payment.status == "requires_action"
    assert not ProcessedWebhook.objects.exists()  # a later, truthful delivery still counts


@pytest.mark.parametrize(
    ("number", "cvc", "refusal"),
    [
        ("424242424242424\u00b2", "123", "invalid_number"),
        ("4242424242424242", "\u00b9\u00b2\u00b3", "invalid_cvc"),
    ],
)
def test_the_sandbox_refuses_a_card_of_other_digits(number, cvc, refusal):
    """``str.isdigit`` is true for a superscript, which ``int`` cannot read: the Luhn
    check raised instead of refusing the number."""
    card = Card(number=number, exp_month=12, exp_year=2099, cvc=cvc)
    assert sandbox.card_refusal(card, today=date(2026, 1, 1)) == refusal
