"""Idempotent subscribers of this context to other contexts' events.

Imported in AppConfig.ready so every process registers the same subscribers.

Not wired yet, on purpose: releasing vouchers when an order is cancelled.
Orders (issue 6) does not exist; once it publishes
``orders.order_cancelled.v1`` a subscriber here calls
``services.vouchers_release(order_ref=...)`` (docs/pricing.md).
"""

from catalog.events import ProductChanged
from kernel.subscribers import subscriber
from pricing import services


@subscriber("pricing.sku_placement.product_changed", event=ProductChanged)
def on_product_changed(event: ProductChanged) -> None:
    """Keep the SKU → product/categories table that promotion targeting reads.

    Deliveries can arrive out of order; ``placement_record`` ignores one
    older than the change it already applied (by ``event.changed_at``).
    """
    services.placement_record(
        product_id=event.product_id,
        product_sku=event.sku,
        variant_skus=event.variant_skus,
        category_slugs=event.category_slugs,
        brand=event.brand,
        changed_at=event.changed_at,
    )
