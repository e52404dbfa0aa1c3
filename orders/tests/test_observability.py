"""A purchase as operations see it: the counters it moves, and one request
id followed from the checkout to the confirmation e-mail."""

import logging

import pytest
from django.core import mail

from inventory import api as inventory_api
from kernel.tasks import relay_outbox
from kernel.tests.scrape import scrape
from orders.models import Order
from orders.tests.factories import BERLIN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shop")]
DETAILS = {
    **{f"ship-{name}": value for name, value in BERLIN.as_dict().items()},
    "email": "g@example.com",
    "billing_same": "on",
    "shipping_method": "standard",
}
CARD = {
    "provider": "sandbox",
    "card_number": "4242 4242 4242 4242",
    "exp_month": 12,
    "exp_year": 2099,
    "cvc": "123",
}
OUTCOMES = "commerce_checkout_outcome_total"


def reviewed(client) -> str:
    """Put a tea in the cart and go through checkout to the review; the place form's token."""
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    client.get("/checkout/")
    client.post("/checkout/", DETAILS)
    return client.get("/checkout/review/").context["form"]["token"].value()


def place(client, token: str, **headers) -> Order:
    response = client.post("/checkout/place/", {"token": token}, headers=headers)
    assert response.status_code == 302, response.content
    # The test's own transaction never commits, so no nudge runs the relay
    # after the request: the relay runs as beat's next run would, outside it.
    relay_outbox.delay()
    return Order.objects.get()


def pay(client, order: Order, card_number: str) -> None:
    page = client.get(f"/orders/{order.number}/pay/")
    attempt = page.context["form"]["attempt"].value()
    client.post(
        f"/orders/{order.number}/pay/", {**CARD, "card_number": card_number, "attempt": attempt}
    )


def test_a_purchase_moves_the_counters(client):
    before = scrape(client)
    order = place(client, reviewed(client))
    pay(client, order, "4000000000000002")  # declined...
    pay(client, order, "4242 4242 4242 4242")  # ...then paid
    after = scrape(client)

    assert after.delta(before, OUTCOMES, outcome="placed") == 1
    assert after.delta(before, OUTCOMES, outcome="payment_declined") == 1
    requests = "commerce_http_requests_total"
    assert after.delta(before, requests, route="/checkout/place/", status="302") == 1
    assert after.delta(before, requests, route="/cart/add/", method="POST") == 1
    assert after.delta(before, "commerce_db_queries_total", route="/checkout/place/") > 0
    confirmation = "orders.email.confirmation"
    deliveries = "commerce_outbox_deliveries_total"
    assert after.delta(before, deliveries, subscriber=confirmation, outcome="delivered") == 1
    tasks = "commerce_celery_tasks_total"
    email_task = "orders.tasks.send_order_email"
    assert after.delta(before, tasks, task=email_task, state="SUCCESS") == 1
    assert after.value("commerce_outbox_pending_deliveries", subscriber=confirmation) == 0


def test_a_checkout_refused_for_stock_is_counted(client):
    before = scrape(client)
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    inventory_api.set_stock(sku="TEA-1", quantity=1)
    client.get("/checkout/")  # holding the stock fails: back to the cart
    assert scrape(client).delta(before, OUTCOMES, outcome="refused_stock") == 1


def test_one_request_id_from_the_checkout_to_the_confirmation_email(client, caplog):
    caplog.set_level(logging.INFO)
    token = reviewed(client)
    relay_outbox.delay()  # the shop's own events, out of the way
    caplog.clear()
    order = place(client, token, X_Request_ID="checkout-7f3a")

    delivery = [
        r
        for r in caplog.records
        if r.name == "kernel.relay"
        and "orders.order_placed" in r.getMessage()
        and r.getMessage().endswith("to orders.email.confirmation")
    ]
    email = [
        r
        for r in caplog.records
        if r.getMessage() == f"confirmation e-mail for order {order.number} sent"
    ]
    assert [r.request_id for r in delivery] == ["checkout-7f3a"]
    assert [r.request_id for r in email] == ["checkout-7f3a"]
    assert len(mail.outbox) == 1
    assert {r.request_id for r in caplog.records} == {"checkout-7f3a"}  # nothing else in between
