"""Idempotent subscribers of this context to other contexts' events.

Imported in AppConfig.ready so every process registers the same subscribers.

The search projection: prices and stock are pricing's and inventory's
data, ratings reviews'; the catalog keeps its own copy (per SKU, per
product for ratings), fed by their events, only to filter, facet and sort
listings. Events may arrive twice (the inbox drops
exact repeats) or out of order (the projection keeps the newest
``changed_at``), and arrive after the publisher's commit (at once when the
relay runs eagerly, within OUTBOX_RELAY_INTERVAL_SECONDS with a worker).
"""

from catalog import services
from catalog.models import SkuPrice, SkuStock
from inventory.events import StockChanged
from kernel.subscribers import subscriber
from pricing.events import PriceChanged
from reviews.events import RatingChanged


@subscriber("catalog.search_projection.price_changed", event=PriceChanged, batch=True)
def on_prices_changed(events: list[PriceChanged]) -> None:
    """A batch: an import's hundreds of prices in a few statements."""
    services.prices_project(
        prices=[
            SkuPrice(
                sku=event.sku,
                currency=event.currency,
                amount=event.new_amount,
                changed_at=event.changed_at,
            )
            for event in events
        ]
    )


@subscriber("catalog.search_projection.stock_changed", event=StockChanged, batch=True)
def on_stocks_changed(events: list[StockChanged]) -> None:
    """A batch, like the prices."""
    services.stocks_project(
        stocks=[
            SkuStock(sku=event.sku, quantity=event.quantity, changed_at=event.changed_at)
            for event in events
        ]
    )


@subscriber("catalog.search_projection.rating_changed", event=RatingChanged)
def on_rating_changed(event: RatingChanged) -> None:
    services.rating_project(
        product_id=event.product_id,
        average=event.average,
        count=event.count,
        changed_at=event.changed_at,
    )
