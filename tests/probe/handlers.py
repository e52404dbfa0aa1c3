"""Two subscribers of the same probe event: one that fails on request, one
that never does, so tests can show that a failing subscriber holds up
nobody else. A test can make the recorder stop inside its delivery's
transaction for an event (`hold`) and let it go when it has seen what it
wanted: interleavings are forced, never timed."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kernel.subscribers import subscriber
from tests.probe.events import ProbeBatched, ProbeHappened
from tests.probe.models import Receipt

RECORDER = "probe.recorder"
WITNESS = "probe.witness"
BATCHER = "probe.batcher"
#: How long a held recorder waits for its release before it fails the test.
HOLD_LIMIT_SECONDS = 60


@dataclass
class Hold:
    """``entered`` is set when the recorder is inside the handler; it goes on at ``release``."""

    entered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


_HOLDS: dict[str, Hold] = {}
#: The labels the batch subscriber was called with, a list per call (tests clear it).
BATCHES: list[list[str]] = []


@contextmanager
def hold(label: str) -> Iterator[Hold]:
    """Stop the recorder in the handler of events labelled ``label`` until released.

    Leaving the block releases it in any case, so a failing test strands no thread.
    """
    _HOLDS[label] = held = Hold()
    try:
        yield held
    finally:
        held.release.set()
        del _HOLDS[label]


@subscriber(RECORDER, event=ProbeHappened)
def record(event: ProbeHappened) -> None:
    """Writes first, then fails if asked: a failed run must leave no row."""
    Receipt.objects.create(subscriber=RECORDER, label=event.label)
    held = _HOLDS.get(event.label)
    if held is not None:
        held.entered.set()
        if not held.release.wait(HOLD_LIMIT_SECONDS):
            raise RuntimeError(f"the test never released the recorder of {event.label}")
    if event.fail:
        raise RuntimeError(f"probe asked to fail for {event.label}")


@subscriber(WITNESS, event=ProbeHappened)
def witness(event: ProbeHappened) -> None:
    Receipt.objects.create(subscriber=WITNESS, label=event.label)


@subscriber(BATCHER, event=ProbeBatched, batch=True)
def record_batch(events: list[ProbeBatched]) -> None:
    """Writes a receipt per event, then fails if any event asks to: the whole
    list's rows must roll back together."""
    BATCHES.append([event.label for event in events])
    for event in events:
        Receipt.objects.create(subscriber=BATCHER, label=event.label)
    if any(event.fail for event in events):
        raise RuntimeError("probe asked to fail for a batch")
