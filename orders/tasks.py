"""Celery tasks of orders: thin, taking ids, calling services."""

from celery import shared_task

from orders import idempotency


@shared_task(name="orders.tasks.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    return idempotency.purge_expired()
