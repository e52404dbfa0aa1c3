"""Idempotent subscribers of this context to other contexts' events.

Imported in AppConfig.ready so every process registers the same subscribers.
Orders calls ``pricing.api`` for what it needs an answer to (quote, redeem
and release vouchers, record experiment sales); pricing learns of orders
placed and cancelled only through their events, to count demand
(services/demand.py).
"""

from collections import Counter

from catalog.events import ProductChanged
from kernel.subscribers import subscriber
from orders.events import OrderAnnounced, OrderCancelled, OrderPlaced
from pricing.services.demand import demand_cancel, demand_record
from pricing.services.placements import Placement, placements_record


@subscriber("pricing.sku_placement.product_changed", event=ProductChanged, batch=True)
def on_products_changed(events: list[ProductChanged]) -> None:
    """Keep the SKU → product/categories table that promotion targeting reads.

    By the batch (an import announces thousands of products). Deliveries can
    arrive out of order; ``placements_record`` ignores one older than the
    change it already applied (by ``event.changed_at``).
    """
    placements_record(
        placements=[
            Placement(
                product_id=event.product_id,
                product_sku=event.sku,
                variant_skus=event.variant_skus,
                category_slugs=event.category_slugs,
                brand=event.brand,
                changed_at=event.changed_at,
            )
            for event in events
        ]
    )


def _units(lines) -> Counter:
    units: Counter = Counter()
    for line in lines:
        units[line.sku] += line.quantity
    return units


@subscriber("pricing.demand.order_placed", event=OrderPlaced)
def on_order_placed(event: OrderPlaced) -> None:
    demand_record(
        order_ref=event.order_number, units=_units(event.lines), placed_at=event.placed_at
    )


@subscriber("pricing.demand.order_cancelled", event=OrderCancelled)
def on_order_cancelled(event: OrderCancelled) -> None:
    demand_cancel(order_ref=event.order_number)


@subscriber("pricing.demand.order_announced", event=OrderAnnounced)
def on_order_announced(event: OrderAnnounced) -> None:
    """An order announced again (a rebuild): its placement, then its cancellation if any."""
    demand_record(
        order_ref=event.order_number, units=_units(event.lines), placed_at=event.placed_at
    )
    if event.cancelled:
        demand_cancel(order_ref=event.order_number)
