"""Deliveries and relays running at the same time, on PostgreSQL with real
parallel connections. Every interleaving is forced (the recorder is held
inside its transaction, relays meet at a barrier), never timed: a duplicate
delivery waits for the first and then does nothing, subscribers of one event
do not wait for each other, and two relays deliver each event once."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection

from kernel import eventcodec, relay
from kernel.models import Delivery, OutboxEvent
from kernel.tests.probes import fanned_out, receipts
from tests.probe.events import ProbeHappened
from tests.probe.handlers import RECORDER, WITNESS, hold

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

#: A bound on waiting for the other party's progress, not a measured duration:
#: only a broken property (or a hung machine) ever reaches it.
WAIT = 30


class InThread:
    """``target(*args)`` on a thread with its own connection; its exception is re-raised on join."""

    def __init__(self, target: Callable, *args) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None

        def run() -> None:
            try:
                target(*args)
            except BaseException as error:  # noqa: BLE001 - handed to the test on join
                self.error = error
            finally:
                connection.close()
                self.done.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self) -> None:
        assert self.done.wait(WAIT), f"{self.thread.name} still running after {WAIT}s"
        if self.error is not None:
            raise self.error


def sessions_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll PostgreSQL's view of the other sessions until ``condition`` holds."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.02)


def test_a_duplicate_delivery_waits_for_the_running_one_then_does_nothing(postgres):
    delivery = fanned_out(ProbeHappened(label="duplicate"))[RECORDER]

    with hold("duplicate") as held:
        first = InThread(relay.deliver, delivery.pk)
        assert held.entered.wait(WAIT), "the first delivery never reached its handler"
        duplicate = InThread(relay.deliver, delivery.pk)
        wait_until(lambda: sessions_waiting_for_a_lock() == 1, "the duplicate wait for the lock")
        assert not duplicate.done.is_set()
        held.release.set()
        first.join()
        duplicate.join()

    assert receipts() == ["duplicate"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 1)


def test_subscribers_of_one_event_do_not_wait_for_each_other(postgres):
    deliveries = fanned_out(ProbeHappened(label="side by side"))

    with hold("side by side") as held:
        recorder = InThread(relay.deliver, deliveries[RECORDER].pk)
        assert held.entered.wait(WAIT), "the recorder never reached its handler"
        InThread(relay.deliver, deliveries[WITNESS].pk).join()  # while the recorder is held
        assert not recorder.done.is_set()
        assert receipts(WITNESS) == ["side by side"]
        held.release.set()
        recorder.join()

    assert receipts(RECORDER) == ["side by side"]


def test_two_relays_at_once_dispatch_every_delivery_once_and_deliver_every_event_once(postgres):
    labels = [f"event {n}" for n in range(10)]
    for label in labels:  # published, not yet fanned out: both relays race for the fan-out too
        event = ProbeHappened(label=label)
        OutboxEvent.objects.create(event_type=event.event_type, payload=eventcodec.encode(event))
    # Each relay stops at its first dispatch until the other has reached its own: both
    # hold a leased, undelivered batch at the same moment.
    both_leased = threading.Barrier(2, timeout=WAIT)
    dispatched: list[list[int]] = [[], []]

    def run_relay(mine: list[int]) -> None:
        def dispatch(due: relay.Due) -> None:
            if not mine:
                both_leased.wait()
            mine.extend(due.delivery_ids)
            relay.deliver_due(due)

        relay.relay(dispatch=dispatch, batch_size=3)

    relays = [InThread(run_relay, mine) for mine in dispatched]
    for each in relays:
        each.join()

    every = sorted(Delivery.objects.values_list("pk", flat=True))
    assert len(every) == 2 * len(labels)
    assert sorted(dispatched[0] + dispatched[1]) == every, "a delivery was dispatched twice"
    assert sorted(receipts(RECORDER)) == sorted(receipts(WITNESS)) == sorted(labels)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.DELIVERED}


def test_overlapping_batches_at_once_deliver_every_event_once(postgres):
    """A batch offered again while it runs (its task requeued, its lease run out)
    waits for the running one at the first delivery they share, then delivers
    only what the first did not."""
    first_ids = [fanned_out(ProbeHappened(label=label))[RECORDER].pk for label in "a+c"]
    extra = fanned_out(ProbeHappened(label="d"))[RECORDER].pk

    with hold("+") as held:
        first = InThread(relay.deliver_batch, first_ids)
        assert held.entered.wait(WAIT), "the first batch never reached its handler"
        second = InThread(relay.deliver_batch, [extra, first_ids[2], first_ids[0]])
        wait_until(lambda: sessions_waiting_for_a_lock() == 1, "the second batch wait for the lock")
        assert not second.done.is_set()
        held.release.set()
        first.join()
        second.join()

    assert sorted(receipts()) == ["+", "a", "c", "d"]
    assert set(Delivery.objects.filter(subscriber=RECORDER).values_list("status", "attempts")) == {
        (Delivery.Status.DELIVERED, 1)
    }
