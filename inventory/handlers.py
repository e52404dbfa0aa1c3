"""Idempotent subscribers of inventory, imported in AppConfig.ready.

Inventory consumes no orders events: orders calls ``inventory.api`` (see
its docstring). Its one subscriber listens to its own ``LowStock`` so that
staff mail leaves the checkout's transaction and goes out from a worker.
"""

from inventory import tasks
from inventory.events import LowStock
from kernel.subscribers import subscriber


@subscriber("inventory.staff_mail.low_stock", event=LowStock)
def on_low_stock(event: LowStock) -> None:
    """Queue the staff mail.

    Queued from within the delivery: if the broker is down this raises, the
    delivery is retried later, and no notice is lost (at worst one is sent
    twice, which the inbox cannot rule out for a side effect outside the
    database).
    """
    tasks.notify_staff_of_low_stock.delay(sku=event.sku)
