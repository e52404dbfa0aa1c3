"""Publishing events through the transactional outbox.

    publish(PriceChanged(sku="TEA-001", ...))   # inside the service's transaction

`publish` only inserts a row, in the caller's transaction: if the change
rolls back, so does the event, and no broker is touched before commit.
After commit the relay is nudged; if the nudge fails (broker down) nothing
is lost and the request still succeeds, because the periodic relay (Celery
beat, or ``manage.py relay_outbox``) picks the row up later.
"""

from __future__ import annotations

import logging

from django.db import transaction

from kernel import correlation, eventcodec, tracing
from kernel.models import OutboxEvent
from kernel.tasks import relay_outbox

logger = logging.getLogger(__name__)

#: How long a request waits for a free broker connection before giving up.
NUDGE_POOL_WAIT_SECONDS = 0.5


def publish(event) -> OutboxEvent:
    """Store ``event`` in the outbox, in the caller's transaction."""
    row = OutboxEvent.objects.create(
        event_type=eventcodec.event_type_of(event),
        payload=eventcodec.encode(event),
        metadata=_origin(),
    )
    _nudge_relay_after_commit()
    return row


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
    rows = [
        OutboxEvent(
            event_type=eventcodec.event_type_of(event),
            payload=eventcodec.encode(event),
            metadata=origin,
        )
        for event in events
    ]
    OutboxEvent.objects.bulk_create(rows, batch_size=batch_size)
    if rows:
        _nudge_relay_after_commit()
    return len(rows)


def nudge_relay() -> None:
    """Ask a worker to relay now; a broker outage neither raises nor waits.

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
        relay_outbox.apply_async()
        return
    try:
        with app.pool.acquire(block=True, timeout=NUDGE_POOL_WAIT_SECONDS) as connection:
            connection.ensure_connection(max_retries=0)
            relay_outbox.apply_async(connection=connection, retry=False)
    except Exception as exc:  # noqa: BLE001 - a broker outage must not fail the request
        logger.warning(
            "outbox relay not reached (%s); pending events wait for the periodic relay", exc
        )


class _NudgeOnCommit:
    """An on-commit callback that knows whether it has run yet."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        self.done = True
        nudge_relay()


def _nudge_relay_after_commit() -> None:
    # One nudge per transaction is enough: the relay takes every pending row.
    # (robust: whatever goes wrong after commit is logged, the request stands.)
    pending = transaction.get_connection().run_on_commit
    if any(isinstance(entry[1], _NudgeOnCommit) and not entry[1].done for entry in pending):
        return
    transaction.on_commit(_NudgeOnCommit(), robust=True)
