"""Deliveries running at the same time, on PostgreSQL with real parallel
connections: a duplicate waits for the first and then does nothing, and
subscribers of one event do not wait for each other."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection

from kernel import relay
from kernel.models import Delivery
from kernel.tests.probes import fanned_out, receipts
from tests.probe.events import ProbeHappened
from tests.probe.handlers import RECORDER, WITNESS

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

#: How long the recorder holds its delivery's transaction open.
HOLD = 1.0
#: Head start of the first thread, to be inside its transaction.
HEAD_START = 0.2


def deliver_in_thread(delivery: Delivery) -> Callable[[], float]:
    """Deliver on a thread with its own connection; return a join giving the duration."""
    took: list[float] = []

    def run() -> None:
        started = time.monotonic()
        try:
            relay.deliver(delivery.pk)
        finally:
            took.append(time.monotonic() - started)
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()

    def join() -> float:
        thread.join(timeout=10)
        assert not thread.is_alive(), "delivery still running after 10 s"
        return took[0]

    return join


def test_a_duplicate_delivery_waits_for_the_running_one_then_does_nothing(postgres):
    delivery = fanned_out(ProbeHappened(label="duplicate", hold_seconds=HOLD))[RECORDER]

    first = deliver_in_thread(delivery)
    time.sleep(HEAD_START)
    duplicate = deliver_in_thread(delivery)

    # Whichever got the lock ran the handler for HOLD; the other waited for it.
    assert min(first(), duplicate()) > HOLD / 2, "the two deliveries did not overlap"
    assert receipts() == ["duplicate"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.DELIVERED, 1)


def test_subscribers_of_one_event_do_not_wait_for_each_other(postgres):
    deliveries = fanned_out(ProbeHappened(label="side by side", hold_seconds=HOLD))

    slow = deliver_in_thread(deliveries[RECORDER])
    time.sleep(HEAD_START)
    took = deliver_in_thread(deliveries[WITNESS])()
    assert took < 0.5 * HOLD, f"the witness waited {took:.2f}s for the recorder"

    slow()
    assert receipts(RECORDER) == receipts(WITNESS) == ["side by side"]
