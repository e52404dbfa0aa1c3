"""Parallel requests on PostgreSQL, each thread with its own connection."""

import json
from collections import Counter

import pytest
from django.test import Client

from kernel.tests.parallel import parallel_threads, run_in_parallel
from orders.cart import services as carts
from orders.models import CartLine, IdempotencyKey, Payment, SandboxCharge
from orders.tests.factories import place

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def parallel(postgres):
    """How many requests race: 12, or as many as the server admits (kernel.tests.parallel)."""
    with parallel_threads(wanted=12, at_least=4) as count:
        yield count


VISA = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2099, "cvc": "123"}


def signed_in_clients(user, n):
    clients = [Client() for _ in range(n)]
    for client in clients:
        client.force_login(user)
    return clients


def test_parallel_identical_requests_pay_once(parallel, customer):
    order = place(customer_id=customer.pk)
    body = json.dumps({"provider": "sandbox", "card": VISA})

    def request(i, client):
        response = client.post(
            f"/api/v1/orders/{order.number}/payments/",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="double-click",
        )
        replayed = response.has_header("Idempotent-Replayed")
        return response.status_code, replayed, response.json().get("id")

    results = run_in_parallel(signed_in_clients(customer, parallel), request)

    outcomes = Counter((status, replayed) for status, replayed, _ in results)
    assert outcomes[(201, False)] == 1, outcomes
    assert set(outcomes) <= {(201, False), (201, True), (409, False)}, outcomes
    assert {pid for status, _, pid in results if status == 201} == {Payment.objects.get().pk}
    assert SandboxCharge.objects.count() == 1
    assert IdempotencyKey.objects.get().state == "done"


def test_parallel_requests_with_different_keys_still_pay_once(parallel, customer):
    order = place(customer_id=customer.pk)

    def request(i, client):
        return client.post(
            f"/api/v1/orders/{order.number}/payments/",
            json.dumps({"provider": "sandbox", "card": VISA}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"tab-{i}",
        ).status_code

    statuses = Counter(run_in_parallel(signed_in_clients(customer, parallel), request))

    assert statuses == {201: 1, 409: parallel - 1}  # paid meanwhile: a conflict with its state
    assert Payment.objects.count() == SandboxCharge.objects.count() == 1


def test_parallel_submits_of_the_pay_form_charge_once(parallel, customer):
    """A double click on "Pay": both posts carry the form's one-time token."""
    order = place(customer_id=customer.pk)
    form = {"card_number": VISA["number"], "cvc": "123", "exp_month": 12, "exp_year": 2099}

    def request(i, client):
        response = client.post(
            f"/orders/{order.number}/pay/", {**form, "provider": "sandbox", "attempt": "one-click"}
        )
        return response.status_code, response.get("Location")

    results = run_in_parallel(signed_in_clients(customer, parallel), request)

    assert set(results) == {(302, f"/orders/{order.number}/confirmation/")}
    assert Payment.objects.count() == SandboxCharge.objects.count() == 1


def test_parallel_adds_of_one_product_to_one_cart_each_count(parallel, shop):
    """A double tap on "Add to cart": each add is one more unit, none a 500 or lost."""
    cart = carts.cart_create(currency="EUR")
    body = json.dumps({"sku": "TEA-1", "quantity": 1})

    def request(i, client):
        lines = f"/api/v1/cart/{cart.token}/lines/"
        return client.post(lines, body, content_type="application/json").status_code

    assert run_in_parallel([Client() for _ in range(parallel)], request) == [201] * parallel
    assert CartLine.objects.get(cart=cart, sku="TEA-1").quantity == parallel
