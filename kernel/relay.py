"""The relay: from outbox rows to subscribers, at least once.

Every database has an outbox (kernel.databases: one per context in split
mode), and the relay works on one database at a time: the publisher's.
Three steps, each safe to run in several workers at once:

1. fan out: every new outbox row gets one `Delivery` per subscriber of its
   type, next to it in the publisher's database (rows are claimed with
   SKIP LOCKED on PostgreSQL);
2. lease: due deliveries are leased for a while, grouped by subscriber in
   batches of up to ``OUTBOX_DELIVERY_BATCH`` and handed to `dispatch` (a
   Celery task on the subscribing context's own queue in production, a
   direct call when tasks run eagerly); a delivery whose worker died is
   offered again when its lease runs out;
3. deliver: under a row lock on a batch's deliveries (publisher's
   database), the subscriber runs on their events in one transaction on its
   own context's database together with the insert of their inbox rows
   (`ProcessedEvent`, unique per subscriber and event, one statement), so a
   second delivery of the same event is a no-op; the deliveries are marked
   delivered in one UPDATE. When both are the same database that
   transaction is a savepoint inside the lock's. If the batch fails, each of
   its events is delivered again on its own, in its own transaction: one
   poison event fails alone and the others succeed. A failure, the
   subscriber's database being down or a cache invalidation that did not
   reach the cache (kernel.caching) included, is recorded on the delivery
   (visible in the admin) and retried with exponential backoff until
   ``OUTBOX_MAX_ATTEMPTS``.

Batching is what makes an import's hundreds of thousands of events cheap:
one task, one lock, one transaction, one inbox insert and one UPDATE per
hundred events instead of per event, and a subscriber registered with
``batch=True`` handles them in a few statements (kernel.subscribers).

Between two databases there is no shared transaction, and none is needed:
if the subscriber's transaction commits and the delivery's does not (the
worker dies in between), the delivery is offered again when its lease runs
out and the inbox row turns the second run into a no-op.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from kernel import caching, correlation, eventcodec, metrics, tracing
from kernel.databases import all_databases
from kernel.inserts import insert_untaken
from kernel.models import Delivery, OutboxEvent, ProcessedEvent
from kernel.subscribers import Subscriber, get_subscriber, subscribers_of

logger = logging.getLogger(__name__)

#: Longer than a task's hard time limit: a leased delivery is still running.
LEASE = timedelta(minutes=10)
#: What makes an inbox row unique: one per subscriber and event.
UNIQUE = ("subscriber", "event_id")


class Due(NamedTuple):
    """Leased deliveries to one subscriber, as handed to ``dispatch``: delivered
    together; the subscriber names their queue."""

    delivery_ids: tuple[int, ...]
    database: str
    subscriber: str


def relay(
    *, dispatch: Callable[[Due], None], database: str | None = None, batch_size: int = 500
) -> int:
    """Fan out all new events and dispatch all due deliveries of ``database``'s
    outbox (every database's when None, skipping one that cannot be reached);
    return how many.

    Works in batches (short transactions, bounded memory) until nothing is
    left: a delivery that fails is rescheduled in the future, so it is not
    due again within the same run.
    """
    if database is not None:
        return _relay_one(database, dispatch=dispatch, batch_size=batch_size)
    dispatched = 0
    for alias in all_databases():
        try:
            dispatched += _relay_one(alias, dispatch=dispatch, batch_size=batch_size)
        except OperationalError as exc:  # one database down holds up no other's events
            logger.warning("outbox of database %r not reachable (%s); its events wait", alias, exc)
    return dispatched


def _relay_one(database: str, *, dispatch: Callable[[Due], None], batch_size: int) -> int:
    """Fan out and dispatch a batch at a time; a short batch of each means all is done.

    Every commit that publishes nudges this, so its usual run is one event:
    it stops without a second, empty lease.
    """
    dispatched = 0
    while True:
        fanned_out = fan_out(database=database, batch_size=batch_size)
        due = lease_due_deliveries(database=database, batch_size=batch_size)
        for batch in due:
            dispatch(batch)
        leased = sum(len(batch.delivery_ids) for batch in due)
        dispatched += leased
        if fanned_out < batch_size and leased < batch_size:
            return dispatched


def fan_out(*, database: str = DEFAULT_DB_ALIAS, batch_size: int) -> int:
    """Create the deliveries of up to ``batch_size`` new events; return how many events.

    Reads the events' ids and types only: their payloads are for the
    deliveries, and reading a thousand of them here was most of its time.
    """
    with transaction.atomic(using=database):
        events = list(
            OutboxEvent.objects.using(database)
            .select_for_update(skip_locked=True)
            .filter(fanned_out_at__isnull=True)
            .order_by("id")
            .values_list("id", "event_type")[:batch_size]
        )
        Delivery.objects.using(database).bulk_create(
            [
                Delivery(event_id=event_id, subscriber=sub.name)
                for event_id, event_type in events
                for sub in subscribers_of(event_type)
                if sub.wants_events()
            ],
            ignore_conflicts=True,
        )
        OutboxEvent.objects.using(database).filter(pk__in=[pk for pk, _ in events]).update(
            fanned_out_at=timezone.now()
        )
    return len(events)


def lease_due_deliveries(*, database: str = DEFAULT_DB_ALIAS, batch_size: int) -> list[Due]:
    """Lease up to ``batch_size`` due deliveries, oldest first; return them in batches."""
    now = timezone.now()
    with transaction.atomic(using=database):
        leased = list(
            Delivery.objects.using(database)
            .select_for_update(skip_locked=True)
            .filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .order_by("id")
            .values_list("id", "subscriber")[:batch_size]
        )
        Delivery.objects.using(database).filter(pk__in=[pk for pk, _ in leased]).update(
            leased_until=now + LEASE
        )
    return _batches(leased, database)


def _batches(leased: list[tuple[int, str]], database: str) -> list[Due]:
    """The leased (id, subscriber) pairs per subscriber, ``OUTBOX_DELIVERY_BATCH`` at most each."""
    size = settings.OUTBOX_DELIVERY_BATCH
    by_subscriber: dict[str, list[int]] = {}
    for delivery_id, subscriber in leased:
        by_subscriber.setdefault(subscriber, []).append(delivery_id)
    return [
        Due(tuple(ids[start : start + size]), database, subscriber)
        for subscriber, ids in by_subscriber.items()
        for start in range(0, len(ids), size)
    ]


def deliver_due(due: Due) -> None:
    """``deliver_batch`` leased deliveries here and now (the eager relay, tests)."""
    deliver_batch(due.delivery_ids, database=due.database)


def deliver(delivery_id: int, database: str = DEFAULT_DB_ALIAS) -> None:
    """Run one delivery of ``database``'s outbox: a batch of one."""
    deliver_batch([delivery_id], database)


def deliver_batch(delivery_ids: Sequence[int], database: str = DEFAULT_DB_ALIAS) -> None:
    """Run those of the deliveries of ``database``'s outbox that are still pending;
    record success or failure on each. Never raises.

    The deliveries are locked (in id order, so two overlapping batches never
    deadlock), and only theirs: deliveries of one event to other subscribers
    do not wait for this one's handler. A duplicate of a running batch
    waits for it and then finds its deliveries delivered.
    """
    with transaction.atomic(using=database):
        pending = list(
            Delivery.objects.using(database)
            .select_for_update(of=("self",))
            .select_related("event")
            .filter(pk__in=delivery_ids, status=Delivery.Status.PENDING)
            .order_by("pk")
        )
        for subscriber_name, deliveries in _by_subscriber(pending).items():
            delivered = _deliver_to(subscriber_name, deliveries)
            Delivery.objects.using(database).filter(pk__in=delivered).record_success()


def _by_subscriber(deliveries: list[Delivery]) -> dict[str, list[Delivery]]:
    grouped: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        grouped.setdefault(delivery.subscriber, []).append(delivery)
    return grouped


def _deliver_to(subscriber_name: str, deliveries: list[Delivery]) -> list[int]:
    """Deliver the events together, or, if that fails, each on its own; return
    the ids of the deliveries that succeeded (failures are recorded on theirs).

    A batch of one event is exactly one delivery as before batching: its
    failure is recorded with backoff. A batch's failure is not the events'
    fault yet: one of them may be poison, so each is tried again alone, and
    only the ones that fail alone are recorded as failed.
    """
    events = [delivery.event for delivery in deliveries]
    with _in_origin_of(events, subscriber=subscriber_name):
        error = _attempt(subscriber_name, events)
        if error is None:
            _count(subscriber_name, "delivered", events)
            return [delivery.pk for delivery in deliveries]
        if len(deliveries) == 1:
            _record_failure(deliveries[0], error)
            return []
        logger.warning(
            "a batch of %d deliveries to %s failed; delivering each on its own",
            len(deliveries),
            subscriber_name,
        )
    return [pk for delivery in deliveries for pk in _deliver_to(subscriber_name, [delivery])]


def _attempt(subscriber_name: str, events: list[OutboxEvent]) -> str | None:
    """Run the subscriber on ``events`` in one transaction on its database; None if it
    committed, else the traceback (and nothing of it was kept)."""
    try:
        sub = get_subscriber(subscriber_name)
        if sub is None:
            raise LookupError(f"no subscriber named {subscriber_name!r} is registered")
        with transaction.atomic(using=sub.database):
            handle_once(sub, events)
    except Exception:
        logger.exception("delivery of %d events to %s failed", len(events), subscriber_name)
        return traceback.format_exc(limit=20)
    return None


def _record_failure(delivery: Delivery, error: str) -> None:
    delivery.record_failure(
        error,
        max_attempts=settings.OUTBOX_MAX_ATTEMPTS,
        backoff=backoff(delivery.attempts + 1),
    )
    delivery.save()
    outcome = "dead" if delivery.status == Delivery.Status.DEAD else "failed"
    metrics.outbox_deliveries.labels(delivery.subscriber, outcome).inc()


def _count(subscriber_name: str, outcome: str, events: list[OutboxEvent]) -> None:
    """Count the deliveries, and log each under its own event's request id."""
    metrics.outbox_deliveries.labels(subscriber_name, outcome).inc(len(events))
    for event in events:
        with correlation.bound(event.metadata.get("request_id")):
            logger.info("delivered %s %s to %s", event.event_type, event.event_id, subscriber_name)


@contextmanager
def _in_origin_of(events: list[OutboxEvent], *, subscriber: str) -> Iterator[None]:
    """Under the request id and in the trace of the work that published the events.

    So a delivery's log lines, the tasks it sends and the events it
    publishes can be followed back to that request. A batch has one span
    (continuing its first event's trace; a span per event would cost more
    than the batch saves) and the request id its events share, which is the
    usual case: an import publishes all its events under one. Events of
    different requests get a new request id for the batch, and each event's
    own around its handler call and its "delivered" line.
    """
    first = events[0]
    request_ids = {event.metadata.get("request_id") for event in events}
    with (
        correlation.bound(request_ids.pop() if len(request_ids) == 1 else None),
        tracing.continued(f"deliver {first.event_type}", first.metadata, subscriber=subscriber),
    ):
        yield


def handle_once(sub: Subscriber, events: list[OutboxEvent]) -> list[OutboxEvent]:
    """Run ``sub`` on those of ``events`` its inbox (in its own database) has not
    seen yet; return those."""
    new = _enter_inbox(sub, events)
    if new:
        # A cache invalidation the handler cannot make fails it, to be delivered again.
        with caching.forgetting_must_succeed():
            _run_handler(sub, new)
    return new


def _run_handler(sub: Subscriber, events: list[OutboxEvent]) -> None:
    """One call with the list for a batch subscriber, one call per event otherwise."""
    decoded = [eventcodec.decode(sub.event_class, event.payload) for event in events]
    if sub.batch:
        sub.handler(decoded)
        return
    for event, payload in zip(events, decoded, strict=True):
        with correlation.bound(event.metadata.get("request_id")):
            sub.handler(payload)


def _enter_inbox(sub: Subscriber, events: list[OutboxEvent]) -> list[OutboxEvent]:
    """Insert ``sub``'s inbox rows for ``events``; return the events that were not there.

    One statement for the whole batch (kernel.inserts), where
    ``get_or_create`` takes four (a read, a savepoint, the insert, its
    release) per event.
    """
    rows = [ProcessedEvent(subscriber=sub.name, event_id=event.event_id) for event in events]
    new = {row.event_id for row in insert_untaken(rows=rows, using=sub.database, unique=UNIQUE)}
    return [event for event in events if event.event_id in new]


def backoff(attempt: int) -> timedelta:
    """10 s, 20 s, 40 s, ... capped (both configurable)."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def retry_now(deliveries) -> int:
    """Give failed or waiting deliveries a fresh start (admin action)."""
    return deliveries.exclude(status=Delivery.Status.DELIVERED).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now(), leased_until=None
    )


def purge(*, older_than: timedelta) -> int:
    """Forget fully delivered events and inbox rows past the retention time;
    return how many events.

    Events with a dead or pending delivery are kept: they are what the admin
    shows an operator who has to act. Every database's outbox and inbox.
    """
    cutoff = timezone.now() - older_than
    purged = 0
    for database in all_databases():
        unfinished = (
            Delivery.objects.using(database)
            .exclude(status=Delivery.Status.DELIVERED)
            .values("event_id")
        )
        _, deleted = (
            OutboxEvent.objects.using(database)
            .filter(occurred_at__lt=cutoff, fanned_out_at__isnull=False)
            .exclude(pk__in=unfinished)
            .delete()
        )
        ProcessedEvent.objects.using(database).filter(processed_at__lt=cutoff).delete()
        purged += deleted.get(OutboxEvent._meta.label, 0)  # not their cascaded deliveries
    return purged


def troubled_deliveries() -> dict[str, int]:
    """How many deliveries gave up ("dead") and how many failed and wait to retry ("retrying").

    One query per database; what an operator's dashboard shows, linking to
    the delivery list.
    """
    totals = {"dead": 0, "retrying": 0}
    for database in all_databases():
        counts = (
            Delivery.objects.using(database)
            .exclude(status=Delivery.Status.DELIVERED)
            .aggregate(
                dead=Count("id", filter=Q(status=Delivery.Status.DEAD)),
                retrying=Count("id", filter=Q(status=Delivery.Status.PENDING, attempts__gt=0)),
            )
        )
        totals = {name: totals[name] + counts[name] for name in totals}
    return totals
