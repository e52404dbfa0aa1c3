"""Replaying events to a subscriber that was fixed (``manage.py outbox_replay``).

What a replay does, for every event of the subscriber's type that occurred
since the given time and has been fanned out (newer ones reach it anyway):

- its delivery that is not delivered (dead, or waiting for its backoff) is
  reset: pending, due now, attempts back to zero, error cleared;
- an event the subscriber has no delivery of (it was registered after the
  event was fanned out) gets one;
- with ``reprocess``, deliveries that succeeded are reset too, and the
  subscriber's inbox rows of those events are deleted, so the handler runs
  again. That is for a handler that committed wrong effects (a bug that
  did not raise). Without ``reprocess`` the inbox is kept and a delivered
  event stays delivered: a replay is then safe to run any number of times.

Both happen in one transaction: a delivery is never pending again while
its inbox row still says "done" (it would be skipped as a duplicate)
unless that is what was asked for, and an inbox row is never gone while
its delivery still says "delivered" (nothing would run it). The relay is
nudged after commit. With a database per context the deliveries are in
the publisher's database and the inbox in the subscriber's: the
deliveries' transaction is nested in the inbox's and commits first, so a
failure between the two commits leaves the inbox untouched (the replay did
nothing for those events, and running it again does it), never an event
that nothing will run.

Handlers are idempotent in effect (docs/events.md), so re-running one on
events it has already handled must leave the same state; events are
replayed in no particular order, like any delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from kernel.models import Delivery, ProcessedEvent
from kernel.outbox import nudge_relay, published, publisher_database
from kernel.subscribers import Subscriber


@dataclass(frozen=True, slots=True)
class Replayed:
    reset: int  # existing deliveries made pending again
    created: int  # deliveries the subscriber had never had
    forgotten: int  # inbox rows deleted (reprocess only)


def replay(*, subscriber: Subscriber, since: datetime, reprocess: bool = False) -> Replayed:
    database = publisher_database(subscriber.event_type)
    events = published(subscriber.event_type).filter(
        occurred_at__gte=since, fanned_out_at__isnull=False
    )
    deliveries = Delivery.objects.using(database)
    with transaction.atomic(using=subscriber.database), transaction.atomic(using=database):
        existing = deliveries.filter(subscriber=subscriber.name, event__in=events)
        forgotten = 0
        if reprocess:
            forgotten, _ = (
                ProcessedEvent.objects.using(subscriber.database)
                .filter(
                    subscriber=subscriber.name,
                    # A list: the two may be different databases.
                    event_id__in=list(events.values_list("event_id", flat=True)),
                )
                .delete()
            )
        else:
            existing = existing.exclude(status=Delivery.Status.DELIVERED)
        reset = existing.update(
            status=Delivery.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            leased_until=None,
            last_error="",
        )
        missing = events.exclude(
            pk__in=deliveries.filter(subscriber=subscriber.name).values("event_id")
        ).values_list("pk", flat=True)
        new = [Delivery(event_id=pk, subscriber=subscriber.name) for pk in missing]
        deliveries.bulk_create(new, ignore_conflicts=True)
        # After both commits: a delivery run before the inbox row is gone would be skipped.
        transaction.on_commit(lambda: nudge_relay(database), using=subscriber.database, robust=True)
    return Replayed(reset=reset, created=len(new), forgotten=forgotten)
