"""How far behind the outbox is: one read for the metrics scrape and the
``outbox_status`` command alike.

Two queries per database (each has an outbox, kernel.databases) whatever
the size of the tables or the number of subscribers, both on indexed
columns: events not fanned out yet (a partial index), and
the deliveries that are not delivered (indexed by status) grouped by
subscriber. Delivered rows, the bulk of the table, are never counted: how
many went through is a counter (``commerce_outbox_deliveries_total``), not
a table scan every fifteen seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Min
from django.utils import timezone

from kernel.databases import all_databases
from kernel.models import Delivery, OutboxEvent


@dataclass(frozen=True, slots=True)
class OutboxSnapshot:
    unrelayed: int
    #: pending (will be tried again) and dead (given up) deliveries per subscriber
    pending: dict[str, int] = field(default_factory=dict)
    dead: dict[str, int] = field(default_factory=dict)
    #: when the oldest event still waiting for any delivery occurred; dead
    #: deliveries do not count, they wait for a person, not for the relay
    oldest_pending_at: datetime | None = None
    taken_at: datetime = field(default_factory=timezone.now)

    @property
    def oldest_pending_age_seconds(self) -> float:
        if self.oldest_pending_at is None:
            return 0.0
        return max((self.taken_at - self.oldest_pending_at).total_seconds(), 0.0)


def snapshot() -> OutboxSnapshot:
    """Every database's outbox together: a subscriber's deliveries may wait in several."""
    unrelayed = 0
    pending: dict[str, int] = {}
    dead: dict[str, int] = {}
    oldest: list[datetime] = []
    for database in all_databases():
        waiting = (
            OutboxEvent.objects.using(database)
            .filter(fanned_out_at__isnull=True)
            .aggregate(number=Count("id"), oldest=Min("occurred_at"))
        )
        unrelayed += waiting["number"]
        oldest += [waiting["oldest"]] if waiting["oldest"] else []
        rows = (
            Delivery.objects.using(database)
            .filter(status__in=[Delivery.Status.PENDING, Delivery.Status.DEAD])
            .values("subscriber", "status")
            .annotate(number=Count("id"), oldest=Min("event__occurred_at"))
            .order_by()
        )
        for row in rows:
            counts = dead if row["status"] == Delivery.Status.DEAD else pending
            counts[row["subscriber"]] = counts.get(row["subscriber"], 0) + row["number"]
            if row["status"] != Delivery.Status.DEAD:
                oldest.append(row["oldest"])
    return OutboxSnapshot(
        unrelayed=unrelayed, pending=pending, dead=dead, oldest_pending_at=min(oldest, default=None)
    )
