"""Publishing events through the transactional outbox.

    publish(PriceChanged(sku="TEA-001", ...))   # inside the service's transaction

`publish` only inserts a row, in the caller's transaction: if the change
rolls back, so does the event, and no broker is touched before commit.
The row goes to the publisher's own database (an event type starts with
the label of the context that publishes it, ``pricing.price_changed.v1``),
so with a database per context it still commits with the change.
After commit the relay is nudged; if the nudge fails (broker down) nothing
is lost and the request still succeeds, because the periodic relay (Celery
beat, or ``manage.py relay_outbox``) picks the row up later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import QuerySet

from kernel import correlation, eventcodec, tracing
from kernel.databases import database_of
from kernel.models import OutboxEvent
from kernel.tasks import relay_outbox

logger = logging.getLogger(__name__)

#: How long a request waits for a free broker connection before giving up.
NUDGE_POOL_WAIT_SECONDS = 0.5
#: Rows re-announced per transaction (`announce_in_batches`).
ANNOUNCE_BATCH = 1000

K = TypeVar("K")


def publish(event) -> OutboxEvent:
    """Store ``event`` in the outbox, in the caller's transaction."""
    event_type = eventcodec.event_type_of(event)
    database = publisher_database(event_type)
    row = OutboxEvent.objects.using(database).create(
        event_type=event_type, payload=eventcodec.encode(event), metadata=_origin()
    )
    _nudge_relay_after_commit(database)
    return row


def publisher_database(event_type: str) -> str:
    """The database of the context that publishes ``event_type``: its outbox."""
    return database_of(event_type.split(".", 1)[0])


def published(event_type: str) -> QuerySet[OutboxEvent]:
    """The outbox rows of ``event_type``, read where its publisher writes them."""
    return OutboxEvent.objects.using(publisher_database(event_type)).filter(event_type=event_type)


def _origin() -> dict[str, str]:
    """The request id and trace context that each delivery of the event resumes."""
    origin = tracing.carrier()
    if request_id := correlation.current_request_id():
        origin["request_id"] = request_id
    return origin


def publish_many(events, *, batch_size: int = 1000) -> int:
    """Store many events in the outbox in batched inserts (bulk imports); returns how many.

    The same rows as ``publish`` one by one, in the caller's transaction,
    with one relay nudge after commit.
    """
    origin = _origin()
    by_database: dict[str, list[OutboxEvent]] = {}
    for event in events:
        event_type = eventcodec.event_type_of(event)
        by_database.setdefault(publisher_database(event_type), []).append(
            OutboxEvent(event_type=event_type, payload=eventcodec.encode(event), metadata=origin)
        )
    for database, rows in by_database.items():
        OutboxEvent.objects.using(database).bulk_create(rows, batch_size=batch_size)
        _nudge_relay_after_commit(database)
    return sum(len(rows) for rows in by_database.values())


def nudge_relay(database: str = DEFAULT_DB_ALIAS) -> None:
    """Ask a worker to relay ``database``'s outbox now; a broker outage neither
    raises nor waits.

    With no broker configured the task runs eagerly, here, after commit.
    Otherwise the task is sent over a pooled broker connection that is
    tried exactly once: left to itself, kombu keeps retrying a refused
    connection for ``broker_connection_timeout`` seconds (about 6 s in
    practice), all inside the customer's request. The periodic relay is the
    backstop for a nudge that did not get through.
    """
    app = relay_outbox.app
    if app.conf.task_always_eager:
        # Runs here and now; a failure is a bug, logged by on_commit(robust=True).
        relay_outbox.apply_async((database,))
        return
    try:
        with app.pool.acquire(block=True, timeout=NUDGE_POOL_WAIT_SECONDS) as connection:
            connection.ensure_connection(max_retries=0)
            relay_outbox.apply_async((database,), connection=connection, retry=False)
    except Exception as exc:  # noqa: BLE001 - a broker outage must not fail the request
        logger.warning(
            "outbox relay not reached (%s); pending events wait for the periodic relay", exc
        )


class _NudgeOnCommit:
    """An on-commit callback that knows whether it has run yet."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.done = False

    def __call__(self) -> None:
        self.done = True
        nudge_relay(self.database)


def _nudge_relay_after_commit(database: str) -> None:
    # One nudge per transaction is enough: the relay takes every pending row.
    # (robust: whatever goes wrong after commit is logged, the request stands.)
    pending = transaction.get_connection(database).run_on_commit
    if any(isinstance(entry[1], _NudgeOnCommit) and not entry[1].done for entry in pending):
        return
    transaction.on_commit(_NudgeOnCommit(database), using=database, robust=True)


def announce_in_batches(keys: Sequence[K], announce: Callable[[list[K]], None]) -> int:
    """Call ``announce`` with ``keys`` a batch at a time; returns how many keys there were.

    What every ``announce_*`` command does (ADR 0002): ``announce`` locks its
    batch's rows and publishes their state in one transaction of its own,
    so re-announcing a million rows holds neither a million row locks nor
    one transaction for minutes, and live changes wait a batch at most.
    """
    for start in range(0, len(keys), ANNOUNCE_BATCH):
        announce(list(keys[start : start + ANNOUNCE_BATCH]))
    return len(keys)
