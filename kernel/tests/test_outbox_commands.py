"""The operator's commands: ``outbox_status`` and ``outbox_replay``."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kernel import relay
from kernel.models import Delivery, OutboxEvent, ProcessedEvent
from kernel.tests.probes import fanned_out, receipts
from tests.probe.events import ProbeHappened
from tests.probe.handlers import RECORDER, WITNESS

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def replay(django_capture_on_commit_callbacks):
    """Run ``outbox_replay``; its nudge of the relay runs after its commit, as in production."""

    def run_replay(*args) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return run("outbox_replay", *args)

    return run_replay


def dead_recorder_delivery(label: str) -> Delivery:
    """An event whose recorder delivery failed for good, while the witness got it."""
    deliveries = fanned_out(ProbeHappened(label=label, fail=True))
    for delivery in deliveries.values():
        relay.deliver(delivery.pk)
    Delivery.objects.filter(pk=deliveries[RECORDER].pk).update(status=Delivery.Status.DEAD)
    return Delivery.objects.get(pk=deliveries[RECORDER].pk)


def fix_the_recorder() -> None:
    """What the fix of a handler's bug does to its events: now it would succeed."""
    for event in OutboxEvent.objects.all():
        event.payload = {**event.payload, "fail": False}
        event.save(update_fields=["payload"])


def test_status_shows_the_backlog_as_a_table_and_as_json():
    dead_recorder_delivery("broken")
    fanned_out(ProbeHappened(label="waiting"))
    OutboxEvent.objects.create(event_type="probe.happened.v1", payload={"label": "new"})
    table = run("outbox_status")
    assert "unrelayed events:   1" in table
    lines = {line.split()[0]: line.split()[1:] for line in table.splitlines()[3:] if line}
    assert lines[RECORDER] == ["1", "1"]  # pending, dead
    assert lines[WITNESS] == ["1", "0"]
    as_json = json.loads(run("outbox_status", "--json"))
    assert as_json["unrelayed_events"] == 1
    assert as_json["subscribers"][RECORDER] == {"pending": 1, "dead": 1}
    assert as_json["oldest_pending_age_seconds"] >= 0
    assert as_json["oldest_pending_at"]


def test_status_of_an_empty_outbox():
    as_json = json.loads(run("outbox_status", "--json"))
    assert as_json["unrelayed_events"] == 0
    assert as_json["oldest_pending_at"] is None
    assert "oldest pending:     none" in run("outbox_status")


def test_replay_delivers_dead_events_to_the_fixed_subscriber_once(replay):
    dead = dead_recorder_delivery("broken")
    fix_the_recorder()
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    output = replay("--subscriber", RECORDER, "--since", since)
    assert "1 deliveries reset, 0 created, 0 inbox rows forgotten" in output
    dead.refresh_from_db()
    assert (dead.status, dead.attempts, dead.last_error) == (Delivery.Status.DELIVERED, 1, "")
    assert receipts(RECORDER) == ["broken"]
    assert receipts(WITNESS) == ["broken"]  # the other subscriber is left alone
    # Again: nothing is due, nothing runs twice.
    assert "0 deliveries reset" in replay("--subscriber", RECORDER, "--since", since)
    assert receipts(RECORDER) == ["broken"]


def test_replay_gives_a_subscriber_the_events_from_before_it_existed(replay):
    deliveries = fanned_out(ProbeHappened(label="old"))
    Delivery.objects.filter(pk=deliveries[WITNESS].pk).delete()  # as if registered later
    since = (timezone.now() - timedelta(minutes=5)).isoformat()
    assert "0 deliveries reset, 1 created" in replay("--subscriber", WITNESS, "--since", since)
    assert receipts(WITNESS) == ["old"]


def test_replay_only_goes_back_to_since(replay):
    dead = dead_recorder_delivery("too old")
    OutboxEvent.objects.update(occurred_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert "0 deliveries reset, 0 created" in replay("--subscriber", RECORDER, "--since", since)
    dead.refresh_from_db()
    assert dead.status == Delivery.Status.DEAD


def test_reprocess_forgets_the_inbox_rows_and_runs_handled_events_again(replay):
    for delivery in fanned_out(ProbeHappened(label="handled wrongly")).values():
        relay.deliver(delivery.pk)
    assert receipts(WITNESS) == ["handled wrongly"]
    since = (timezone.now() - timedelta(minutes=5)).isoformat()
    output = replay("--subscriber", WITNESS, "--since", since, "--reprocess")
    assert "1 deliveries reset, 0 created, 1 inbox rows forgotten" in output
    assert receipts(WITNESS) == ["handled wrongly", "handled wrongly"]
    assert receipts(RECORDER) == ["handled wrongly"]
    assert ProcessedEvent.objects.filter(subscriber=WITNESS).count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--subscriber", "nobody", "--since", "2026-01-01"], "no subscriber named 'nobody'"),
        (["--subscriber", RECORDER, "--since", "yesterday"], "not an ISO 8601 time"),
    ],
)
def test_replay_refuses_what_it_cannot_understand(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("outbox_replay", *args)


def test_relay_outbox_forever_stops_on_ctrl_c_without_a_traceback(monkeypatch):
    """Its help says "Ctrl-C to stop": the interrupt ends it with a line, exit status 0."""
    from kernel.management.commands import relay_outbox

    def interrupted(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(relay_outbox.time, "sleep", interrupted)
    out = StringIO()
    call_command("relay_outbox", "--forever", stdout=out)
    assert out.getvalue().splitlines() == ["0 deliveries attempted", "Stopped."]
