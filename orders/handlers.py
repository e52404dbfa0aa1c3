"""Idempotent subscribers of orders' own events: they queue the shopper's e-mails.

Imported in AppConfig.ready so every process registers the same subscribers.
The relay runs them after the order's transaction has committed; if the
broker is down, enqueueing raises and the relay retries the delivery later,
while the shopper's request has long succeeded.
"""

from kernel.subscribers import subscriber
from orders import tasks
from orders.events import OrderPlaced, OrderRefunded, OrderShipped


@subscriber("orders.email.confirmation", event=OrderPlaced)
def on_order_placed(event: OrderPlaced) -> None:
    tasks.send_order_email.delay(
        kind="confirmation", order_number=event.order_number, reference=event.order_number
    )


@subscriber("orders.email.shipped", event=OrderShipped)
def on_order_shipped(event: OrderShipped) -> None:
    tasks.send_order_email.delay(
        kind="shipped",
        order_number=event.order_number,
        reference=f"shipment:{event.shipment_id}",
        shipment_id=event.shipment_id,
    )


@subscriber("orders.email.refund", event=OrderRefunded)
def on_order_refunded(event: OrderRefunded) -> None:
    tasks.send_order_email.delay(
        kind="refund",
        order_number=event.order_number,
        reference=f"refund:{event.refund_id}",
        amount=str(event.amount),
    )
