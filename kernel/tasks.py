"""Celery tasks of the outbox. Thin: they call the relay and take only ids.

All of them are idempotent, which is what makes ``acks_late`` and
``reject_on_worker_lost`` (settings) safe: a task redelivered after a worker
crash does nothing twice.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from kernel import relay


@shared_task(name="kernel.tasks.deliver_event")
def deliver_event(delivery_id: int) -> None:
    relay.deliver(delivery_id)


@shared_task(name="kernel.tasks.relay_outbox")
def relay_outbox() -> int:
    return relay.relay(dispatch=deliver_event.delay)


@shared_task(name="kernel.tasks.purge_outbox")
def purge_outbox() -> int:
    return relay.purge(older_than=timedelta(days=settings.OUTBOX_RETENTION_DAYS))
