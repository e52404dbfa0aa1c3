"""Idempotent subscribers of this context to other contexts' events.

Imported in AppConfig.ready so every process registers the same subscribers.
Orders does not reach pricing through events: it calls ``pricing.api``
(quote, redeem and release vouchers, record experiment sales) in its own
transactions, so there is no orders subscriber here.
"""

from catalog.events import ProductChanged
from kernel.subscribers import subscriber
from pricing.services.placements import placement_record


@subscriber("pricing.sku_placement.product_changed", event=ProductChanged)
def on_product_changed(event: ProductChanged) -> None:
    """Keep the SKU → product/categories table that promotion targeting reads.

    Deliveries can arrive out of order; ``placement_record`` ignores one
    older than the change it already applied (by ``event.changed_at``).
    """
    placement_record(
        product_id=event.product_id,
        product_sku=event.sku,
        variant_skus=event.variant_skus,
        category_slugs=event.category_slugs,
        brand=event.brand,
        changed_at=event.changed_at,
    )
