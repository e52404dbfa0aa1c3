"""Idempotent subscribers of this context to other contexts' events.

Imported in AppConfig.ready so every process registers the same subscribers.

Verified purchases: reviews never reads orders' tables; it keeps its own
record of who received which SKU, from ``orders.order_delivered.v1``.
Recording is idempotent (one row per customer and SKU), so a redelivered
or reordered event changes nothing more.
"""

from kernel.subscribers import subscriber
from orders.events import OrderDelivered
from reviews import services


@subscriber("reviews.purchases.order_delivered", event=OrderDelivered)
def on_order_delivered(event: OrderDelivered) -> None:
    if event.customer_id is None:
        return  # a guest order: no account to write a review with
    services.purchases_record(
        customer_id=event.customer_id,
        skus=[line.sku for line in event.lines],
        order_number=event.order_number,
        delivered_at=event.delivered_at,
    )
