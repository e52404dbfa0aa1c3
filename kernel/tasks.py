"""Celery tasks of the outbox. Thin: they call the relay and take only ids.

All of them are idempotent, which is what makes ``acks_late`` and
``reject_on_worker_lost`` (settings) safe: a task redelivered after a worker
crash does nothing twice.

A delivery travels on the subscribing context's own queue (named after its
app label, settings ``CELERY_TASK_QUEUES``), so that context's workers can
be scaled and deployed on their own; a subscriber without a queue of its
own (a test probe) uses the default one.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from kernel import relay
from kernel.subscribers import get_subscriber


@shared_task(name="kernel.tasks.deliver_events")
def deliver_events(delivery_ids: list[int], database: str = DEFAULT_DB_ALIAS) -> None:
    """A batch of leased deliveries to one subscriber (``relay.deliver_batch``)."""
    relay.deliver_batch(delivery_ids, database)


@shared_task(name="kernel.tasks.deliver_event")
def deliver_event(delivery_id: int, database: str = DEFAULT_DB_ALIAS) -> None:
    """One delivery: what relays sent before deliveries were batched, so that tasks
    still queued when workers are upgraded run."""
    relay.deliver(delivery_id, database)


@shared_task(name="kernel.tasks.relay_outbox")
def relay_outbox(database: str | None = None) -> int:
    """Relay ``database``'s outbox (a nudge after a commit), or every one (beat)."""
    return relay.relay(dispatch=send_delivery, database=database)


def send_delivery(due: relay.Due) -> None:
    deliver_events.apply_async(
        (list(due.delivery_ids), due.database), queue=queue_of(due.subscriber)
    )


def queue_of(subscriber_name: str) -> str:
    """The queue of the context a subscriber belongs to."""
    sub = get_subscriber(subscriber_name)
    context = sub.context if sub else ""
    declared = {queue.name for queue in deliver_events.app.conf.task_queues or ()}
    return context if context in declared else deliver_events.app.conf.task_default_queue


@shared_task(name="kernel.tasks.purge_outbox")
def purge_outbox() -> int:
    return relay.purge(older_than=timedelta(days=settings.OUTBOX_RETENTION_DAYS))
