"""No card number is stored anywhere: not in any table, session, stored
idempotent response, outbox payload or log line, after a card payment on the
storefront and one over REST."""

import json
import logging

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, router

from kernel.databases import KERNEL_LABEL, all_databases, database_of
from kernel.models import OutboxEvent
from kernel.tests.outboxes import published
from orders.models import IdempotencyKey, OrderNote, Payment
from orders.tests.factories import BERLIN, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shop")]

NUMBER = "4242424242424242"
FORMS = (NUMBER, "4242 4242 4242 4242", "4242-4242-4242-4242")
TEXT = (models.CharField, models.TextField, models.JSONField)


def homes(model) -> list[str]:
    """The databases holding ``model``'s rows: the kernel's outbox and inbox are in each."""
    if model._meta.app_label == KERNEL_LABEL:
        return all_databases()
    return [router.db_for_read(model)]


def stored_text() -> list[tuple[str, str]]:
    """(where, text) of every text and JSON column of every model, and of every session."""
    found = []
    for model in apps.get_models():
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT)]
        for alias in homes(model):
            rows = model._default_manager.using(alias).values_list("pk", *columns)
            found += [(f"{model._meta.label}#{row[0]}", str(v)) for row in rows for v in row[1:]]
    for session in Session.objects.all():
        found.append((f"session {session.pk}", json.dumps(session.get_decoded(), default=str)))
    return found


def places_with_the_number() -> list[str]:
    return [where for where, text in stored_text() if any(form in text for form in FORMS)]


def pay_on_the_storefront(client) -> None:
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    client.get("/checkout/")
    details = {f"ship-{name}": value for name, value in BERLIN.as_dict().items()}
    details |= {"email": "g@example.com", "billing_same": "on", "shipping_method": "standard"}
    client.post("/checkout/", details)
    token = client.get("/checkout/review/").context["form"]["token"].value()
    pay_page = client.post("/checkout/place/", {"token": token})["Location"]
    card = {"card_number": FORMS[1], "exp_month": 12, "exp_year": 2040, "cvc": "123"}
    paid = client.post(pay_page, {"attempt": "a" * 20, "provider": "sandbox", **card})
    assert paid.status_code == 302


def pay_over_rest(client, customer) -> None:
    order = place(customer_id=customer.pk)
    client.force_login(customer)
    card = {"number": NUMBER, "exp_month": 12, "exp_year": 2040, "cvc": "123"}
    answer = client.post(
        f"/api/v1/orders/{order.number}/payments/",
        {"provider": "sandbox", "card": card},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="no-card-stored",
    )
    assert answer.status_code == 201


def test_no_card_number_is_stored_or_logged(client, customer, caplog, run_relay):
    caplog.set_level(logging.DEBUG)
    with run_relay():
        pay_on_the_storefront(client)
        pay_over_rest(client, customer)

    assert Payment.objects.filter(status="captured").count() == 2
    assert IdempotencyKey.objects.filter(response_status=201).exists()  # a response was stored
    assert published("orders.order_paid.v1").count() == 2
    assert places_with_the_number() == []
    assert not [form for form in FORMS if form in caplog.text]


def test_the_scan_finds_a_number_where_one_is_stored():
    """The scan above would notice: a number written anywhere is found."""
    note = OrderNote.objects.create(order=place(), text=f"card {FORMS[1]}", author="test")
    assert places_with_the_number() == [f"orders.OrderNote#{note.pk}"]


def test_the_scan_reads_the_outbox_of_every_database():
    """An event is in its publisher's outbox: orders' own database in split mode."""
    row = OutboxEvent.objects.using(database_of("orders")).create(
        event_type="orders.noted.v1", payload={"text": FORMS[2]}
    )
    assert places_with_the_number() == [f"shared.OutboxEvent#{row.pk}"]


@pytest.fixture
def run_relay(django_capture_on_commit_callbacks):
    """Commit callbacks run (the outbox relay and its subscribers), as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
