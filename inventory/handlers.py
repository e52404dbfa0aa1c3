"""Idempotent subscribers of inventory, imported in AppConfig.ready.

Inventory consumes no orders events: orders calls ``inventory.api`` (see
its docstring). Its one subscriber listens to its own ``LowStock`` so that
staff mail leaves the checkout's transaction and goes out from a worker.
"""

from django.db import transaction

from commerce.shared.subscribers import subscriber
from inventory import tasks
from inventory.events import LowStock


@subscriber("inventory.staff_mail.low_stock", event=LowStock)
def on_low_stock(event: LowStock) -> None:
    # After the delivery commits: a rolled-back delivery sends no mail.
    transaction.on_commit(lambda: tasks.notify_staff_of_low_stock.delay(sku=event.sku))
