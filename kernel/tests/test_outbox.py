"""The outbox in process: publish in the caller's transaction, relay after
commit, deliver at least once, take effect once, retry with backoff, give
up visibly. Runs on SQLite and PostgreSQL alike."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from kernel import relay
from kernel.models import Delivery, OutboxEvent, ProcessedEvent
from kernel.outbox import publish
from kernel.tasks import purge_outbox
from kernel.tests.conftest import DEAD_BROKER_URL
from kernel.tests.probes import fanned_out, receipts
from tests.probe.events import ProbeHappened
from tests.probe.handlers import RECORDER, WITNESS
from tests.probe.services import ProbeAborted, probe_happen

pytestmark = pytest.mark.django_db


def relay_in_process() -> int:
    return relay.relay(dispatch=relay.deliver_due)


def delivery_to(subscriber: str) -> Delivery:
    return Delivery.objects.get(subscriber=subscriber)


def time_passes(delivery: Delivery) -> None:
    """Make a rescheduled delivery due, as if its backoff had elapsed."""
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_publish_writes_a_row_and_nothing_else_until_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        publish(ProbeHappened(label="first"))
        publish(ProbeHappened(label="second"))
        assert OutboxEvent.objects.count() == 2
        assert not Delivery.objects.exists()  # no relay inside the transaction
        assert receipts() == []
    assert len(callbacks) == 1  # one nudge per transaction; the relay takes every row
    assert sorted(receipts()) == ["first", "second"]


@pytest.mark.django_db(transaction=True)
def test_an_event_published_in_a_committed_transaction_reaches_every_subscriber():
    probe_happen(label="committed")
    assert receipts(RECORDER) == ["committed"]
    assert receipts(WITNESS) == ["committed"]
    assert set(Delivery.objects.values_list("subscriber", "status", "attempts")) == {
        (RECORDER, Delivery.Status.DELIVERED, 1),
        (WITNESS, Delivery.Status.DELIVERED, 1),
    }
    assert ProcessedEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_event_and_delivers_nothing():
    with pytest.raises(ProbeAborted):
        probe_happen(label="rolled back", abort=True)
    assert relay_in_process() == 0
    assert not OutboxEvent.objects.exists()
    assert not Delivery.objects.exists()
    assert receipts() == []


def test_the_same_delivery_delivered_twice_takes_effect_once():
    publish(ProbeHappened(label="twice"))  # the test's transaction never commits: no nudge
    relay.fan_out(batch_size=10)
    delivery = delivery_to(RECORDER)

    relay.deliver(delivery.pk)
    relay.deliver(delivery.pk)

    assert receipts() == ["twice"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 1)


def test_the_inbox_stops_a_redelivery_the_delivery_row_let_through():
    """A delivery reset to pending (lost ack, operator retry) runs again; the
    subscriber's inbox row, not the delivery's status, keeps the effect single."""
    publish(ProbeHappened(label="reset"))
    relay.fan_out(batch_size=10)
    delivery = delivery_to(RECORDER)
    relay.deliver(delivery.pk)

    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING)
    relay.deliver(delivery.pk)

    assert receipts() == ["reset"]
    assert ProcessedEvent.objects.filter(subscriber=RECORDER).count() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 2)


def test_a_failure_is_recorded_retried_with_backoff_then_given_up(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 10
    publish(ProbeHappened(label="broken", fail=True))

    for attempt, wait in [(1, 10), (2, 20)]:
        before = timezone.now()
        relay_in_process()
        delivery = delivery_to(RECORDER)
        assert delivery.status == Delivery.Status.PENDING
        assert delivery.attempts == attempt
        assert "RuntimeError: probe asked to fail for broken" in delivery.last_error
        assert delivery.leased_until is None
        assert before + timedelta(seconds=wait) <= delivery.next_attempt_at
        assert delivery.next_attempt_at <= timezone.now() + timedelta(seconds=wait)
        assert relay_in_process() == 0, "not due again before its backoff has passed"
        time_passes(delivery)

    relay_in_process()
    delivery = delivery_to(RECORDER)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DEAD, 3)

    time_passes(delivery)
    assert relay_in_process() == 0, "a dead delivery waits for an operator"
    assert receipts() == [], "what the failing runs wrote was rolled back"
    assert not ProcessedEvent.objects.filter(subscriber=RECORDER).exists()


def test_a_leased_delivery_is_not_offered_again_while_its_lease_holds_but_is_after_it():
    fanned_out(ProbeHappened(label="worker dies"))
    taken = relay.lease_due_deliveries(batch_size=10)  # handed to a worker that then dies
    assert len(taken) == 2

    assert relay.lease_due_deliveries(batch_size=10) == [], "offered twice while leased"
    Delivery.objects.update(leased_until=timezone.now() - timedelta(seconds=1))  # lease ran out
    offered_again = relay.lease_due_deliveries(batch_size=10)
    assert sorted(offered_again) == sorted(taken)
    for due in offered_again:
        relay.deliver_due(due)
    assert receipts(RECORDER) == receipts(WITNESS) == ["worker dies"]


def test_a_failing_subscriber_does_not_hold_up_a_healthy_one():
    publish(ProbeHappened(label="half", fail=True))
    relay_in_process()
    assert receipts(WITNESS) == ["half"]
    assert receipts(RECORDER) == []
    assert delivery_to(WITNESS).status == Delivery.Status.DELIVERED
    assert delivery_to(RECORDER).status == Delivery.Status.PENDING
    assert delivery_to(RECORDER).attempts == 1


def test_a_delivery_to_an_unknown_subscriber_fails_visibly():
    publish(ProbeHappened(label="orphan"))
    relay.fan_out(batch_size=10)
    orphan = Delivery.objects.create(event=OutboxEvent.objects.get(), subscriber="gone.renamed")
    relay.deliver(orphan.pk)
    orphan.refresh_from_db()
    assert orphan.attempts == 1
    assert "no subscriber named 'gone.renamed'" in orphan.last_error


def test_backoff_doubles_up_to_its_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 10
    settings.OUTBOX_RETRY_MAX_SECONDS = 60
    assert [relay.backoff(n).total_seconds() for n in range(1, 6)] == [10, 20, 40, 60, 60]


def test_relay_outbox_command_delivers_pending_events():
    publish(ProbeHappened(label="from the command"))
    out = StringIO()
    call_command("relay_outbox", stdout=out)
    assert receipts() == ["from the command"]
    assert "2 deliveries attempted" in out.getvalue()
    assert not Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists()


def test_relay_works_in_batches_until_nothing_is_left():
    for n in range(5):
        publish(ProbeHappened(label=f"batch {n}"))
    assert relay.relay(dispatch=relay.deliver_due, batch_size=2) == 10
    assert len(receipts()) == 5


@pytest.mark.django_db(transaction=True)
def test_a_dead_broker_neither_fails_nor_slows_the_commit(use_broker, retries_for_a_minute, caplog):
    use_broker(DEAD_BROKER_URL)
    started = time.monotonic()
    probe_happen(label="while the broker is down")
    elapsed = time.monotonic() - started

    assert elapsed < 10, f"publishing took {elapsed:.2f}s with the broker down (retried?)"
    assert "outbox relay not reached" in caplog.text
    assert OutboxEvent.objects.get().fanned_out_at is None, "left for the periodic relay"
    assert receipts() == []


class TestPurge:
    def old_event(self, label: str, *, deliveries: list[str] | None, days: int = 30):
        event = OutboxEvent.objects.create(
            event_type=ProbeHappened.event_type,
            payload={"label": label},
            occurred_at=timezone.now() - timedelta(days=days),
            fanned_out_at=None if deliveries is None else timezone.now(),
        )
        for n, status in enumerate(deliveries or []):
            Delivery.objects.create(event=event, subscriber=f"probe.{n}", status=status)
        return event

    def test_purge_forgets_delivered_events_and_keeps_everything_still_open(self):
        Status = Delivery.Status
        self.old_event("delivered", deliveries=[Status.DELIVERED, Status.DELIVERED])
        self.old_event("no subscriber", deliveries=[])
        kept = {
            self.old_event("not fanned out", deliveries=None),
            self.old_event("one pending", deliveries=[Status.DELIVERED, Status.PENDING]),
            self.old_event("one dead", deliveries=[Status.DEAD, Status.DELIVERED]),
            self.old_event("recent", deliveries=[Status.DELIVERED], days=1),
        }

        assert relay.purge(older_than=timedelta(days=14)) == 2
        assert set(OutboxEvent.objects.all()) == kept

    def test_purge_forgets_old_inbox_rows_only(self):
        old = ProcessedEvent.objects.create(
            subscriber=RECORDER,
            event_id="00000000-0000-0000-0000-000000000001",
            processed_at=timezone.now() - timedelta(days=30),
        )
        recent = ProcessedEvent.objects.create(
            subscriber=RECORDER, event_id="00000000-0000-0000-0000-000000000002"
        )
        relay.purge(older_than=timedelta(days=14))
        assert list(ProcessedEvent.objects.all()) == [recent]
        assert not ProcessedEvent.objects.filter(pk=old.pk).exists()

    def test_the_daily_task_purges_past_the_configured_retention(self, settings):
        settings.OUTBOX_RETENTION_DAYS = 20
        self.old_event("older", deliveries=[Delivery.Status.DELIVERED], days=21)
        kept = self.old_event("younger", deliveries=[Delivery.Status.DELIVERED], days=19)
        assert purge_outbox.apply().get() == 1
        assert list(OutboxEvent.objects.all()) == [kept]
