"""Celery tasks of inventory: thin, calling services. All idempotent."""

from celery import shared_task

from inventory import notifications, services


@shared_task(name="inventory.tasks.purge_expired_reservations")
def purge_expired_reservations() -> int:
    return services.reservations_purge_expired()


@shared_task(name="inventory.tasks.notify_staff_of_low_stock")
def notify_staff_of_low_stock(sku: str) -> None:
    notifications.low_stock_mail(sku=sku)
