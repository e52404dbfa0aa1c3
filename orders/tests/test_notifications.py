"""Order e-mails: sent by tasks queued from our own events, once each, text and HTML."""

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.utils import translation
from kombu.exceptions import OperationalError

from kernel import eventcodec
from kernel.tests.outboxes import deliveries_of, published
from orders import handlers, notifications, payments, services, tasks
from orders.events import OrderPlaced
from orders.models import Order, SentNotification
from orders.providers.base import Card
from orders.tests.factories import eur, line, place

pytestmark = pytest.mark.django_db

VISA = Card(number="4242424242424242", exp_month=1, exp_year=2099, cvc="123")


@pytest.fixture
def run_events(django_capture_on_commit_callbacks):
    """Run the service and then the relay, as the worker would after commit."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result

    return run


def test_placing_an_order_sends_the_confirmation(run_events):
    order = run_events(lambda: place(line("TEA-1"), email="ada@example.com"))

    (message,) = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == f"Your order {order.number}"
    assert "2 x Tea TEA-1" in message.body
    assert "Total: EUR 29.90" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert order.number in html


def test_the_text_confirmation_adds_up_to_its_total(run_events):
    """The plain-text part says what the HTML part says: the discount and the tax too."""
    run_events(lambda: place(line("TEA-1"), email="ada@example.com", discount="2.50"))

    body = mail.outbox[0].body
    for words in ("Subtotal: EUR 25.00", "Discount: \u2212EUR 2.50", "Shipping (", "tax: EUR"):
        assert words in body
    assert "Total: EUR 27.40" in body  # 25.00 + 4.90 - 2.50


def test_bank_transfer_instructions_are_in_the_confirmation_when_paid_that_way(run_events):
    order = place()
    payments.payment_start(order_id=order.pk, provider_code="bank_transfer", actor="c")
    notifications.send_order_email(kind="confirmation", order_number=order.number, reference="x")
    assert f"with the reference {order.number}" in mail.outbox[-1].body


def test_each_shipment_and_refund_sends_its_own_email(run_events):
    order = run_events(lambda: place(line("TEA-1", quantity=2)))
    run_events(
        lambda: payments.payment_start(
            order_id=order.pk, provider_code="sandbox", card=VISA, actor="c"
        )
    )
    tea = order.lines.get()
    run_events(
        lambda: services.order_ship(
            order_id=order.pk, actor="s", quantities={tea.pk: 1}, tracking_number="1Z1"
        )
    )
    run_events(lambda: services.order_ship(order_id=order.pk, actor="s", tracking_number="1Z2"))
    run_events(
        lambda: payments.order_refund(order_id=order.pk, amount=eur("5"), actor="s", reason="Dent")
    )

    subjects = [m.subject.split(" ", 1)[1] for m in mail.outbox]
    assert subjects == [
        f"order {order.number}",
        f"order {order.number} is on its way",
        f"order {order.number} is on its way",
        f"refund for your order {order.number}",
    ]
    first_parcel, second_parcel, refund = mail.outbox[1:]
    assert "Tracking number: 1Z1" in first_parcel.body
    assert "The rest of your order follows" in first_parcel.body
    assert "Tracking number: 1Z2" in second_parcel.body
    assert "follows" not in second_parcel.body
    assert "We have refunded EUR 5.00" in refund.body


def test_a_task_run_twice_sends_once(run_events):
    """A worker crash redelivers the task (acks late); the shopper still gets one e-mail."""
    order = run_events(place)
    event = eventcodec.decode(OrderPlaced, published(OrderPlaced.event_type).get().payload)

    handlers.on_order_placed(event)
    handlers.on_order_placed(event)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"Your order {order.number}"


def test_no_email_is_sent_inside_the_request_transaction():
    place()  # no commit in this test transaction: the relay never ran
    assert mail.outbox == []


def test_a_broker_outage_delays_the_email_but_never_fails_the_order(run_events, monkeypatch):
    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_order_email, "delay", broker_down)

    order = run_events(place)

    assert Order.objects.filter(pk=order.pk).exists()
    delivery = deliveries_of(OrderPlaced.event_type).get(subscriber="orders.email.confirmation")
    assert (delivery.status, delivery.attempts) == ("pending", 1)  # retried with backoff
    assert "Connection refused" in delivery.last_error
    assert mail.outbox == []


def test_a_failed_send_leaves_no_sent_record_and_the_retry_sends_it(monkeypatch):
    order = place()
    real_send = notifications.EmailMultiAlternatives.send

    def smtp_down(self, *args, **kwargs):
        raise SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr(notifications.EmailMultiAlternatives, "send", smtp_down)
    with pytest.raises(SMTPServerDisconnected):
        email_confirmation(order)
    assert not SentNotification.objects.exists()  # else the retry would send nothing
    assert issubclass(SMTPServerDisconnected, tasks.send_order_email.autoretry_for)

    monkeypatch.setattr(notifications.EmailMultiAlternatives, "send", real_send)
    assert email_confirmation(order) is True
    assert [m.subject for m in mail.outbox] == [f"Your order {order.number}"]


def test_a_retry_after_a_successful_send_sends_nothing():
    order = place()
    assert email_confirmation(order) is True
    assert email_confirmation(order) is False  # the task redelivered after its e-mail went out
    assert len(mail.outbox) == 1
    assert SentNotification.objects.count() == 1


def email_confirmation(order: Order) -> bool:
    return tasks.send_order_email(
        kind="confirmation", order_number=order.number, reference=order.number
    )


def test_an_order_placed_from_a_german_page_is_confirmed_in_german(
    run_events, django_capture_on_commit_callbacks
):
    # Placed in the German checkout's request...
    with django_capture_on_commit_callbacks() as after_commit, translation.override("de"):
        order = place(line("TEA-1"), email="ada@example.com")
    for callback in after_commit:  # the worker, later, in no language in particular
        callback()
    (message,) = mail.outbox
    assert message.subject == f"Ihre Bestellung {order.number}"
    assert f"Vielen Dank für Ihre Bestellung {order.number}." in message.body
    assert "Summe: 29,90\u00a0€" in message.body  # as a German reader writes it
    assert "Vielen Dank" in message.alternatives[0][0]
    run_events(lambda: place(line("TEA-1"), email="bob@example.com"))
    assert mail.outbox[-1].subject.startswith("Your order ")
