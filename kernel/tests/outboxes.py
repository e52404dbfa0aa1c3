"""The outboxes as a test reads them: where each publisher writes its events.

An event is stored in its publisher's database (``kernel.outbox.publish``):
with one database that is ``default``, with a database per context
(``make pytest-split``) it is the publishing context's. A test that reads
``OutboxEvent.objects`` without ``using`` looks in ``default`` only, and in
split mode would find nothing (or, worse, count nothing twice and pass).
These helpers read the right database in both modes:

    published(OrderPlaced.event_type)   # that type's rows, in its publisher's outbox
    event_count()                       # every outbox: "nothing was announced"
    deliveries_of(OrderPlaced.event_type)
"""

from __future__ import annotations

from django.db.models import QuerySet

from kernel.databases import all_databases, database_of
from kernel.models import Delivery, OutboxEvent
from kernel.outbox import published, publisher_database

__all__ = [
    "clear_outboxes",
    "deliveries_of",
    "event_count",
    "outbox_of",
    "payloads",
    "published",
]


def event_count() -> int:
    """How many events every database's outbox holds, together."""
    return sum(OutboxEvent.objects.using(alias).count() for alias in all_databases())


def outbox_of(context: str) -> QuerySet[OutboxEvent]:
    """Every event ``context`` published: its database's outbox."""
    return OutboxEvent.objects.using(database_of(context)).filter(
        event_type__startswith=f"{context}."
    )


def payloads(event_type: str) -> list[dict]:
    """The payloads of ``event_type``'s events, oldest first."""
    return [row.payload for row in published(event_type).order_by("id")]


def deliveries_of(event_type: str) -> QuerySet[Delivery]:
    """The deliveries of ``event_type``'s events: beside its publisher's outbox."""
    return Delivery.objects.using(publisher_database(event_type)).filter(
        event__event_type=event_type
    )


def clear_outboxes() -> None:
    """Forget every event (and its deliveries) in every database."""
    for alias in all_databases():
        OutboxEvent.objects.using(alias).all().delete()
