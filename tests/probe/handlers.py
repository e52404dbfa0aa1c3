"""Two subscribers of the same probe event: one that fails on request, one
that never does, so tests can show that a failing subscriber holds up
nobody else."""

import time

from kernel.subscribers import subscriber
from tests.probe.events import ProbeHappened
from tests.probe.models import Receipt

RECORDER = "probe.recorder"
WITNESS = "probe.witness"


@subscriber(RECORDER, event=ProbeHappened)
def record(event: ProbeHappened) -> None:
    """Writes first, then fails if asked: a failed run must leave no row."""
    Receipt.objects.create(subscriber=RECORDER, label=event.label)
    time.sleep(event.hold_seconds)
    if event.fail:
        raise RuntimeError(f"probe asked to fail for {event.label}")


@subscriber(WITNESS, event=ProbeHappened)
def witness(event: ProbeHappened) -> None:
    Receipt.objects.create(subscriber=WITNESS, label=event.label)
