"""Re-announcing orders as they stand, so subscribers can rebuild what they keep of them.

Pricing's demand and recommendations' baskets are kept from
``orders.order_placed.v1`` and ``orders.order_cancelled.v1``. Publishing
those again would also send every confirmation e-mail again, so an order
is re-announced with an event of its own, ``orders.order_announced.v1``,
which only the subscribers that keep a copy listen to (ADR 0016). They
handle it as the placement it sums up, followed by the cancellation if
there was one: idempotently, keyed by the order's number, so an order they
already know changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from kernel.databases import atomic
from kernel.outbox import announce_in_batches, publish_many
from orders.events import EventLine, OrderAnnounced
from orders.models import Order, OrderStatus


def orders_announce(*, since: datetime | None = None) -> int:
    """Publish ``OrderAnnounced`` for every order (placed since ``since``); returns how many.

    One transaction per batch, locking its orders as every change of
    status does, so each is announced in one state, cancelled or not.
    """
    orders = Order.objects.order_by("pk")
    if since is not None:
        orders = orders.filter(placed_at__gte=since)
    return announce_in_batches(list(orders.values_list("pk", flat=True)), _announce_batch)


@atomic("orders")
def _announce_batch(ids: list[int]) -> None:
    orders = Order.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    publish_many(
        OrderAnnounced(
            order_number=order.number,
            lines=tuple(
                EventLine(
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    experiment_variant=line.experiment_variant,
                )
                for line in order.lines.all()
            ),
            placed_at=order.placed_at,
            cancelled=order.status == OrderStatus.CANCELLED,
        )
        for order in orders.prefetch_related("lines")
    )
