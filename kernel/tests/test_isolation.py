"""call_optional: a failing or slow optional context costs the page its
section, never the page; and a hung one cannot starve the others. Inline,
a failing call costs neither the page nor the request's transaction.

Each test calls contexts under fresh names, so their bulkheads and failure
counters start empty."""

import threading
import time
from uuid import uuid4

import pytest
from django.db import connection, transaction

from kernel.isolation import call_optional, failure_count
from tests.probe.models import Receipt

UNAVAILABLE = object()


@pytest.fixture
def name() -> str:
    return f"optional-{uuid4().hex[:8]}"


@pytest.fixture
def release():
    """An event that hung calls wait on; set at the end so no thread outlives the test."""
    event = threading.Event()
    yield event
    event.set()


def timed(fn, *args, **kwargs):
    started = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - started


def test_an_answer_in_time_is_returned(name):
    def summary(*, sku: str) -> str:
        return f"4.5 stars for {sku}"

    answer = call_optional(name, lambda: summary(sku="TEA-001"), fallback=UNAVAILABLE)
    assert answer == "4.5 stars for TEA-001"
    assert failure_count(name) == 0


def test_an_exception_becomes_the_fallback_logged_and_counted(name, caplog):
    def broken():
        raise ConnectionError("reviews database is down")

    assert call_optional(name, broken, fallback=UNAVAILABLE) is UNAVAILABLE
    assert call_optional(name, broken, fallback=UNAVAILABLE) is UNAVAILABLE
    assert failure_count(name) == 2
    assert f"optional context {name} unavailable: ConnectionError: reviews database is down" in (
        caplog.text
    )


def test_a_slow_call_falls_back_after_its_budget_not_its_duration(name, release, settings, caplog):
    """The call would block until the end of the test; the budget (0.2 s)
    cuts it short. The bound leaves a loaded machine 50 times the budget and
    is still far from "waits for the call"."""
    settings.ISOLATION_DEFAULT_BUDGET_SECONDS = 0.2
    result, elapsed = timed(call_optional, name, release.wait, fallback=UNAVAILABLE)
    assert result is UNAVAILABLE
    assert 0.2 <= elapsed < 10, f"fell back after {elapsed:.3f}s"
    assert not release.is_set()
    assert failure_count(name) == 1
    assert "no answer within 0.20s" in caplog.text


def test_a_hung_context_fills_its_own_bulkhead_and_starves_no_other(name, release, settings):
    """What this proves: with ISOLATION_MAX_WORKERS=2, two hung calls to a
    context take its two threads; a third call to it falls back at once
    (it neither waits for its minute of budget nor starts another thread), a
    call to another context answers normally meanwhile, and the hung context
    is served again as soon as its calls end. The hung calls block until
    released, so nothing here depends on how fast the machine is."""
    settings.ISOLATION_MAX_WORKERS = 2
    started = []

    def hang() -> str:
        started.append(threading.current_thread().name)
        release.wait()
        return "answered late"

    for _ in range(2):
        assert call_optional(name, hang, fallback=UNAVAILABLE, budget=0.05) is UNAVAILABLE
    result, elapsed = timed(call_optional, name, hang, fallback=UNAVAILABLE, budget=60)
    assert result is UNAVAILABLE
    assert elapsed < 10, f"a full bulkhead should refuse at once, took {elapsed:.3f}s"
    assert len(started) == 2, "no third thread was started for the hung context"

    # Starved, it would fall back (None) after its budget instead of answering.
    assert call_optional(f"{name}-other", lambda: "fine", fallback=None, budget=30) == "fine"
    assert not release.is_set()

    release.set()
    deadline = time.monotonic() + 30  # the hung calls' progress, not a measured duration
    while call_optional(name, lambda: "back", fallback=UNAVAILABLE, budget=30) != "back":
        assert time.monotonic() < deadline, "the bulkhead never freed its threads"
        time.sleep(0.01)
    assert failure_count(name) >= 3


@pytest.mark.django_db(transaction=True)
def test_the_call_reads_committed_data_on_its_own_connection(name):
    Receipt.objects.create(subscriber="probe.test", label="committed")

    def labels() -> list[str]:
        return list(Receipt.objects.values_list("label", flat=True))

    assert call_optional(name, labels, fallback=UNAVAILABLE, budget=2) == ["committed"]


@pytest.mark.django_db
def test_inline_an_answer_is_returned_from_this_thread(name):
    answer = call_optional(name, threading.current_thread, fallback=UNAVAILABLE, inline=True)
    assert answer is threading.current_thread()
    assert failure_count(name) == 0


@pytest.mark.django_db
def test_inline_a_failure_becomes_the_fallback_logged_and_counted(name, caplog):
    def broken():
        raise ConnectionError("pricing database is down")

    assert call_optional(name, broken, fallback=UNAVAILABLE, inline=True) is UNAVAILABLE
    assert call_optional(name, broken, fallback=UNAVAILABLE, inline=True) is UNAVAILABLE
    assert failure_count(name) == 2
    assert f"optional context {name} unavailable: ConnectionError: pricing database is down" in (
        caplog.text
    )


@pytest.mark.django_db
def test_inline_a_database_error_is_rolled_back_and_the_transaction_goes_on(name):
    """What this proves: a call that writes, then fails in the database
    (here: a query on a table that does not exist, which aborts a
    PostgreSQL transaction), is undone by its savepoint, and the caller's
    transaction keeps working, its own earlier write included."""

    def writes_then_fails():
        Receipt.objects.create(subscriber="probe.test", label="inside the call")
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    with transaction.atomic():
        Receipt.objects.create(subscriber="probe.test", label="before the call")
        assert call_optional(name, writes_then_fails, fallback=UNAVAILABLE, inline=True) is (
            UNAVAILABLE
        )
        labels = list(Receipt.objects.values_list("label", flat=True))
    assert labels == ["before the call"]
    assert failure_count(name) == 1


def test_inline_calls_have_no_budget(name):
    with pytest.raises(TypeError):
        call_optional(name, lambda: None, fallback=None, budget=1, inline=True)
