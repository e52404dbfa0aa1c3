"""Idempotent subscribers of this context to other contexts' events.

Imported in AppConfig.ready so every process registers the same subscribers.

Each delivery runs once per subscriber (the kernel's inbox drops repeats);
what is left to handle is order: catalog events refresh the product from
``catalog.api`` as it is now, stock and prices keep the newest
``changed_at``, and an order's cancellation may arrive before the order
(services/baskets.py).
"""

from catalog import api as catalog_api
from catalog.events import ProductArchived, ProductChanged, ProductPublished
from inventory.events import StockChanged
from kernel.subscribers import subscriber
from orders.events import OrderAnnounced, OrderCancelled, OrderPlaced
from pricing.events import PriceChanged
from recommendations.models import SkuState
from recommendations.services import baskets, profiles


def _refresh(events: list[ProductChanged] | list[ProductPublished] | list[ProductArchived]) -> None:
    """Refresh the events' products from the catalog as it is now: each once, however
    many of the batch's events name it, in one read and a few writes."""
    ids = sorted({event.product_id for event in events})
    found = catalog_api.product_details_by_id(ids=ids)
    profiles.profiles_refresh(products={product_id: found.get(product_id) for product_id in ids})


@subscriber("recommendations.profile.product_changed", event=ProductChanged, batch=True)
def on_products_changed(events: list[ProductChanged]) -> None:
    _refresh(events)


@subscriber("recommendations.profile.product_published", event=ProductPublished, batch=True)
def on_products_published(events: list[ProductPublished]) -> None:
    _refresh(events)


@subscriber("recommendations.profile.product_archived", event=ProductArchived, batch=True)
def on_products_archived(events: list[ProductArchived]) -> None:
    _refresh(events)


@subscriber("recommendations.profile.stock_changed", event=StockChanged, batch=True)
def on_stocks_changed(events: list[StockChanged]) -> None:
    """A batch: an import's hundreds of quantities in one statement."""
    profiles.stocks_record(
        stocks=[
            SkuState(sku=event.sku, quantity=event.quantity, stock_changed_at=event.changed_at)
            for event in events
        ]
    )


@subscriber("recommendations.profile.price_changed", event=PriceChanged, batch=True)
def on_prices_changed(events: list[PriceChanged]) -> None:
    """A batch, like the quantities."""
    profiles.prices_record(
        prices=[
            profiles.PriceSeen(event.sku, event.currency, event.new_amount, event.changed_at)
            for event in events
        ]
    )


def _record_basket(event: OrderPlaced | OrderAnnounced) -> None:
    baskets.basket_record(
        order_number=event.order_number,
        skus=[line.sku for line in event.lines],
        placed_at=event.placed_at,
    )


@subscriber("recommendations.copurchase.order_placed", event=OrderPlaced)
def on_order_placed(event: OrderPlaced) -> None:
    _record_basket(event)


@subscriber("recommendations.copurchase.order_cancelled", event=OrderCancelled)
def on_order_cancelled(event: OrderCancelled) -> None:
    baskets.basket_cancel(order_number=event.order_number)


@subscriber("recommendations.copurchase.order_announced", event=OrderAnnounced)
def on_order_announced(event: OrderAnnounced) -> None:
    """An order announced again (a rebuild): its basket, then its cancellation if any."""
    _record_basket(event)
    if event.cancelled:
        baskets.basket_cancel(order_number=event.order_number)
