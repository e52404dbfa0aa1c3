"""Paying an order on the storefront: card, 3-D Secure, declines, double clicks, access."""

import re

import pytest
from django.test import Client

from orders.models import Order, Payment, SandboxCharge
from orders.tests.factories import place

pytestmark = pytest.mark.django_db

CARD = {
    "provider": "sandbox",
    "card_number": "4242 4242 4242 4242",
    "exp_month": 12,
    "exp_year": 2099,
    "cvc": "123",
}


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def order(customer):
    return place(customer_id=customer.pk)


def attempt_token(client, order) -> str:
    return client.get(f"/orders/{order.number}/pay/").context["form"]["attempt"].value()


def test_paying_by_card_marks_the_order_paid(signed_in, order):
    response = signed_in.post(
        f"/orders/{order.number}/pay/", {**CARD, "attempt": attempt_token(signed_in, order)}
    )

    assert response["Location"] == f"/orders/{order.number}/confirmation/"
    order.refresh_from_db()
    assert order.status == "paid"
    assert "Thank you" in signed_in.get(response["Location"]).content.decode()


def test_a_double_click_or_refresh_charges_once(signed_in, order):
    data = {**CARD, "attempt": attempt_token(signed_in, order)}

    first = signed_in.post(f"/orders/{order.number}/pay/", data)
    second = signed_in.post(f"/orders/{order.number}/pay/", data)

    assert first.status_code == second.status_code == 302
    assert Payment.objects.count() == SandboxCharge.objects.count() == 1


def test_one_attempt_token_sent_for_two_orders_pays_each_with_its_own_charge(
    signed_in, order, customer
):
    """The token is the client's to send: sent again for another order, it is that order's
    attempt, never the first order's charge (which broke a unique reference: a 500)."""
    other = place(customer_id=customer.pk)
    data = {**CARD, "attempt": "one-token-for-both"}

    for each in (order, other):
        assert signed_in.post(f"/orders/{each.number}/pay/", data).status_code == 302
        each.refresh_from_db()
        assert each.status == "paid"
    assert Payment.objects.count() == SandboxCharge.objects.count() == 2


def test_a_declined_card_asks_for_another_and_the_next_attempt_may_succeed(signed_in, order):
    declined = signed_in.post(
        f"/orders/{order.number}/pay/",
        {**CARD, "card_number": "4000000000000002", "attempt": attempt_token(signed_in, order)},
        follow=True,
    )
    assert "declined" in declined.content.decode()

    signed_in.post(
        f"/orders/{order.number}/pay/", {**CARD, "attempt": attempt_token(signed_in, order)}
    )
    order.refresh_from_db()
    assert order.status == "paid"
    assert list(order.payments.values_list("status", flat=True)) == ["failed", "captured"]


@pytest.mark.parametrize(("outcome", "status"), [("approve", "paid"), ("fail", "pending_payment")])
def test_bank_verification_through_the_sandbox_bank_page(signed_in, order, outcome, status):
    started = signed_in.post(
        f"/orders/{order.number}/pay/",
        {**CARD, "card_number": "4000000000003220", "attempt": attempt_token(signed_in, order)},
    )
    assert "/verify/" in started["Location"]
    assert "Approve" in signed_in.get(started["Location"]).content.decode()

    signed_in.post(started["Location"], {"outcome": outcome})

    order.refresh_from_db()
    assert order.status == status


def test_card_fields_are_required_for_cards_but_not_for_bank_transfer(signed_in, order):
    missing = signed_in.post(
        f"/orders/{order.number}/pay/", {"provider": "sandbox", "attempt": "a"}
    )
    assert "Required for card payments" in missing.content.decode()

    signed_in.post(
        f"/orders/{order.number}/pay/", {"provider": "bank_transfer", "attempt": "b"}, follow=True
    )
    payment = Payment.objects.get()
    assert payment.status == "pending"
    page = signed_in.get(f"/orders/{order.number}/").content.decode()
    assert payment.next_action in page
    assert "Pay now" not in page  # a payment is under way


def test_a_guest_pays_an_order_they_looked_up(order):
    guest_order = place(email="guest@example.com")
    client = Client()
    client.post("/orders/lookup/", {"number": guest_order.number, "email": "guest@example.com"})

    response = client.post(f"/orders/{guest_order.number}/pay/", {**CARD, "attempt": "g1"})

    assert response["Location"] == f"/orders/{guest_order.number}/confirmation/"
    assert Order.objects.get(pk=guest_order.pk).status == "paid"


@pytest.mark.parametrize("path", ["pay/", "payments/{payment}/verify/"])
def test_another_customers_order_cannot_be_paid_or_verified(signed_in, other_customer, path):
    theirs = place(customer_id=other_customer.pk)
    payment = Payment.objects.create(
        order=theirs, provider="sandbox", status="requires_action", currency="EUR"
    )
    url = f"/orders/{theirs.number}/" + path.format(payment=payment.pk)

    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, {**CARD, "attempt": "x", "outcome": "approve"}).status_code == 404
    assert Client().get(url).status_code == 404


def test_paying_needs_the_csrf_token(customer, order):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    assert client.post(f"/orders/{order.number}/pay/", {**CARD, "attempt": "x"}).status_code == 403
    assert not Payment.objects.exists()


def test_a_german_order_page_names_the_payment_and_the_address_in_german(signed_in, order):
    signed_in.post(
        f"/de/orders/{order.number}/pay/", {"provider": "bank_transfer", "attempt": "de"}
    )

    page = signed_in.get(f"/de/orders/{order.number}/").content.decode()

    assert "Banküberweisung: " in page  # the method, not "Bank transfer"
    assert "Zahlung ausstehend" in page  # the payment's status, not "pending"
    # The instructions, written in the shopper's language, the amount as German writes it.
    assert re.search("Überweisen Sie [0-9.]+,[0-9]{2}\u00a0€ ", page)
    assert "Deutschland<br>" in page  # the address's country line, not "Germany"
    english = signed_in.get(f"/orders/{order.number}/").content.decode()
    assert "Bank transfer: " in english
    assert "Awaiting funds" in english
    assert "Germany<br>" in english


def test_a_phone_fills_the_card_in_and_types_it_on_a_number_pad(signed_in, order):
    page = signed_in.get(f"/orders/{order.number}/pay/").content.decode()
    for name, fills in [
        ("card_number", "cc-number"),
        ("exp_month", "cc-exp-month"),
        ("exp_year", "cc-exp-year"),
        ("cvc", "cc-csc"),
    ]:
        tag = next(tag for tag in page.split("<input")[1:] if f'name="{name}"' in tag)
        assert f'autocomplete="{fills}"' in tag, name
    assert page.count('inputmode="numeric"') == 2  # the number and the code


def test_a_card_number_in_another_script_s_digits_is_refused(signed_in, order):
    arabic = "".join(chr(0x0660 + int(digit)) for digit in "4242424242424242")
    data = {**CARD, "card_number": arabic, "attempt": attempt_token(signed_in, order)}
    response = signed_in.post(f"/orders/{order.number}/pay/", data)
    assert "card_number" in response.context["form"].errors


def test_a_mistyped_card_says_what_the_card_number_and_cvc_look_like(signed_in, order):
    data = {
        **CARD,
        "card_number": "4242-abc",
        "cvc": "12",
        "attempt": attempt_token(signed_in, order),
    }
    signed_in.cookies["django_language"] = "de"
    page = signed_in.post(f"/de/orders/{order.number}/pay/", data).content.decode()
    assert "12 bis 19 Ziffern" in page
    assert "3 oder 4 Ziffern" in page
