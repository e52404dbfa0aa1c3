"""Deliveries in batches: the events of one subscriber delivered together, in
one transaction on its database, with one inbox insert and one delivery
update; a batch that fails is delivered again an event at a time, so a
poison event fails alone. Runs on SQLite and PostgreSQL, split mode too."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from kernel import relay
from kernel.models import Delivery, ProcessedEvent
from kernel.outbox import publish, publisher_database
from kernel.subscribers import get_subscriber
from kernel.tests.probes import receipts
from tests.probe.events import ProbeBatched, ProbeHappened
from tests.probe.handlers import BATCHER, BATCHES, RECORDER, WITNESS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def batches_forgotten():
    BATCHES.clear()
    yield
    BATCHES.clear()


def relay_in_process() -> int:
    return relay.relay(dispatch=relay.deliver_due)


def deliveries(subscriber: str) -> dict[str, tuple[str, int]]:
    """Each of ``subscriber``'s deliveries by its event's label: (status, attempts)."""
    rows = Delivery.objects.using(publisher_database(ProbeBatched.event_type)).filter(
        subscriber=subscriber
    )
    return {row.event.payload["label"]: (row.status, row.attempts) for row in rows}


def statements(queries: CaptureQueriesContext, start: str, table: str) -> int:
    return sum(1 for query in queries if query["sql"].startswith(start) and table in query["sql"])


def test_a_subscriber_s_events_are_handled_in_one_call_with_one_inbox_insert(settings):
    settings.OUTBOX_DELIVERY_BATCH = 100
    for label in ["a", "b", "c"]:
        publish(ProbeBatched(label=label))  # the test's transaction never commits: no nudge
    subscriber_db = get_subscriber(BATCHER).database
    publisher_db = publisher_database(ProbeBatched.event_type)

    with (
        CaptureQueriesContext(connections[subscriber_db]) as on_subscriber,
        CaptureQueriesContext(connections[publisher_db]) as on_publisher,
    ):
        assert relay_in_process() == 3

    assert BATCHES == [["a", "b", "c"]]
    assert sorted(receipts(BATCHER)) == ["a", "b", "c"]
    inbox = ProcessedEvent._meta.db_table
    assert statements(on_subscriber, "INSERT", inbox) == 1
    assert ProcessedEvent.objects.using(subscriber_db).filter(subscriber=BATCHER).count() == 3
    assert statements(on_publisher, "UPDATE", Delivery._meta.db_table) == 2  # lease, delivered
    assert deliveries(BATCHER) == dict.fromkeys(["a", "b", "c"], ("delivered", 1))


def test_batches_are_no_bigger_than_the_setting(settings):
    settings.OUTBOX_DELIVERY_BATCH = 2
    for label in ["a", "b", "c"]:
        publish(ProbeBatched(label=label))
    relay_in_process()
    assert BATCHES == [["a", "b"], ["c"]]


def test_a_poison_event_in_a_batch_fails_alone_and_the_others_are_delivered():
    for label, fail in [("a", False), ("poison", True), ("c", False)]:
        publish(ProbeBatched(label=label, fail=fail))

    relay_in_process()

    assert BATCHES == [["a", "poison", "c"], ["a"], ["poison"], ["c"]]
    assert sorted(receipts(BATCHER)) == ["a", "c"], "the failed batch's rows were rolled back"
    assert deliveries(BATCHER) == {
        "a": ("delivered", 1),
        "poison": ("pending", 1),
        "c": ("delivered", 1),
    }
    poison = Delivery.objects.using(publisher_database(ProbeBatched.event_type)).get(
        subscriber=BATCHER, event__payload__label="poison"
    )
    assert "probe asked to fail for a batch" in poison.last_error
    assert poison.next_attempt_at > poison.event.occurred_at, "retried later, with backoff"


def test_a_poison_event_fails_alone_for_a_subscriber_of_one_event_at_a_time():
    for label, fail in [("a", False), ("poison", True), ("c", False)]:
        publish(ProbeHappened(label=label, fail=fail))

    relay_in_process()

    assert sorted(receipts(RECORDER)) == ["a", "c"]
    assert sorted(receipts(WITNESS)) == ["a", "c", "poison"]
    assert deliveries(RECORDER) == {
        "a": ("delivered", 1),
        "poison": ("pending", 1),
        "c": ("delivered", 1),
    }


def test_delivering_a_batch_again_is_a_no_op():
    """Deliveries reset to pending (a worker died after the subscriber committed,
    an operator retried): the inbox keeps the effect single, event by event."""
    for label in ["a", "b"]:
        publish(ProbeBatched(label=label))
    relay_in_process()
    publish(ProbeBatched(label="new"))
    relay.fan_out(batch_size=10)

    publisher_db = publisher_database(ProbeBatched.event_type)
    Delivery.objects.using(publisher_db).update(status=Delivery.Status.PENDING)
    relay_in_process()

    assert BATCHES == [["a", "b"], ["new"]], "only the event not in the inbox was handled"
    assert sorted(receipts(BATCHER)) == ["a", "b", "new"]
    assert deliveries(BATCHER) == {
        "a": ("delivered", 2),
        "b": ("delivered", 2),
        "new": ("delivered", 1),
    }


def test_deliveries_no_longer_pending_are_left_alone():
    for label in ["a", "b"]:
        publish(ProbeBatched(label=label))
    relay.fan_out(batch_size=10)
    due = relay.lease_due_deliveries(batch_size=10)
    relay.deliver_due(due[0])
    relay.deliver_due(due[0])  # the same task twice (a requeued task)
    assert BATCHES == [["a", "b"]]
    assert deliveries(BATCHER) == {"a": ("delivered", 1), "b": ("delivered", 1)}
