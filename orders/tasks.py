"""Celery tasks of orders: thin, taking ids, calling services."""

from smtplib import SMTPException

from celery import shared_task

from orders import idempotency, notifications


@shared_task(name="orders.tasks.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    return idempotency.purge_expired()


@shared_task(
    name="orders.tasks.send_order_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=8,
)
def send_order_email(*, kind: str, order_number: str, reference: str, **context) -> bool:
    return notifications.send_order_email(
        kind=kind, order_number=order_number, reference=reference, **context
    )
