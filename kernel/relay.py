"""The relay: from outbox rows to subscribers, at least once.

Every database has an outbox (kernel.databases: one per context in split
mode), and the relay works on one database at a time: the publisher's.
Three steps, each safe to run in several workers at once:

1. fan out: every new outbox row gets one `Delivery` per subscriber of its
   type, next to it in the publisher's database (rows are claimed with
   SKIP LOCKED on PostgreSQL);
2. lease: due deliveries are leased for a while and handed to `dispatch`
   (a Celery task on the subscribing context's own queue in production, a
   direct call when tasks run eagerly); a delivery whose worker died is
   offered again when its lease runs out;
3. deliver: under a row lock on the delivery (publisher's database), the
   subscriber runs in a transaction on its own context's database together
   with the insert of its inbox row (`ProcessedEvent`, unique per
   subscriber and event), so a second delivery of the same event is a
   no-op. When both are the same database that transaction is a savepoint
   inside the lock's. A failure, the subscriber's database being down or
   a cache invalidation that did not reach the cache (kernel.caching)
   included, is recorded on the delivery (visible in the admin) and retried
   with exponential backoff until ``OUTBOX_MAX_ATTEMPTS``.

Between two databases there is no shared transaction, and none is needed:
if the subscriber's transaction commits and the delivery's does not (the
worker dies in between), the delivery is offered again when its lease runs
out and the inbox row turns the second run into a no-op.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from kernel import caching, correlation, eventcodec, metrics, tracing
from kernel.databases import all_databases
from kernel.inserts import insert_unless_taken
from kernel.models import Delivery, OutboxEvent, ProcessedEvent
from kernel.subscribers import Subscriber, get_subscriber, subscribers_of

logger = logging.getLogger(__name__)

#: Longer than a task's hard time limit: a leased delivery is still running.
LEASE = timedelta(minutes=10)


class Due(NamedTuple):
    """A leased delivery, as handed to ``dispatch``: the subscriber names its queue."""

    delivery_id: int
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
        for leased in due:
            dispatch(leased)
        dispatched += len(due)
        if fanned_out < batch_size and len(due) < batch_size:
            return dispatched


def fan_out(*, database: str = DEFAULT_DB_ALIAS, batch_size: int) -> int:
    with transaction.atomic(using=database):
        events = list(
            OutboxEvent.objects.using(database)
            .select_for_update(skip_locked=True)
            .filter(fanned_out_at__isnull=True)
            .order_by("id")[:batch_size]
        )
        Delivery.objects.using(database).bulk_create(
            [
                Delivery(event=event, subscriber=sub.name)
                for event in events
                for sub in subscribers_of(event.event_type)
            ],
            ignore_conflicts=True,
        )
        OutboxEvent.objects.using(database).filter(pk__in=[e.pk for e in events]).update(
            fanned_out_at=timezone.now()
        )
    return len(events)


def lease_due_deliveries(*, database: str = DEFAULT_DB_ALIAS, batch_size: int) -> list[Due]:
    now = timezone.now()
    with transaction.atomic(using=database):
        due = [
            Due(delivery_id, database, subscriber)
            for delivery_id, subscriber in Delivery.objects.using(database)
            .select_for_update(skip_locked=True)
            .filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .order_by("id")
            .values_list("id", "subscriber")[:batch_size]
        ]
        Delivery.objects.using(database).filter(pk__in=[d.delivery_id for d in due]).update(
            leased_until=now + LEASE
        )
    return due


def deliver_due(due: Due) -> None:
    """``deliver`` a leased delivery here and now (the eager relay, tests)."""
    deliver(due.delivery_id, database=due.database)


def deliver(delivery_id: int, database: str = DEFAULT_DB_ALIAS) -> None:
    """Run one delivery of ``database``'s outbox; record success or failure. Never raises.

    The delivery runs under the request id (and in the trace) of the work
    that published the event, so its log lines, the tasks it sends and the
    events it publishes can be followed back to that request.
    """
    with transaction.atomic(using=database):
        delivery = (
            # Lock the delivery only: deliveries of one event to other
            # subscribers must not wait for this one's handler.
            Delivery.objects.using(database)
            .select_for_update(of=("self",))
            .select_related("event")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:  # delivered meanwhile, or given up on
            return
        event = delivery.event
        with (
            correlation.bound(event.metadata.get("request_id")),
            tracing.continued(
                f"deliver {event.event_type}", event.metadata, subscriber=delivery.subscriber
            ),
        ):
            _attempt(delivery)
        delivery.save()


def _attempt(delivery: Delivery) -> None:
    event = delivery.event
    try:
        sub = get_subscriber(delivery.subscriber)
        if sub is None:
            raise LookupError(f"no subscriber named {delivery.subscriber!r} is registered")
        with transaction.atomic(using=sub.database):
            handle_once(sub, event)
    except Exception:
        logger.exception("delivery %s to %s failed", delivery.pk, delivery.subscriber)
        delivery.record_failure(
            traceback.format_exc(limit=20),
            max_attempts=settings.OUTBOX_MAX_ATTEMPTS,
            backoff=backoff(delivery.attempts + 1),
        )
        outcome = "dead" if delivery.status == Delivery.Status.DEAD else "failed"
    else:
        delivery.record_success()
        logger.info("delivered %s %s to %s", event.event_type, event.event_id, delivery.subscriber)
        outcome = "delivered"
    metrics.outbox_deliveries.labels(delivery.subscriber, outcome).inc()


def handle_once(sub: Subscriber, event: OutboxEvent) -> bool:
    """Run ``sub`` on ``event`` unless its inbox (in its own database) says it already has."""
    first_time = _enter_inbox(sub, event)
    if first_time:
        # A cache invalidation the handler cannot make fails it, to be delivered again.
        with caching.forgetting_must_succeed():
            sub.handler(eventcodec.decode(sub.event_class, event.payload))
    return first_time


def _enter_inbox(sub: Subscriber, event: OutboxEvent) -> bool:
    """Insert ``sub``'s inbox row for ``event``; False if it is there already.

    One statement (kernel.inserts), where ``get_or_create`` takes four (a
    read, a savepoint, the insert, its release) on every delivery.
    """
    row = ProcessedEvent(subscriber=sub.name, event_id=event.event_id)
    return insert_unless_taken(row, using=sub.database, unique=("subscriber", "event_id"))


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
