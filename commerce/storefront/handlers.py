"""Keeping the storefront's cached offers true: invalidate on every change."""

from catalog.events import ProductArchived, ProductChanged, ProductPublished
from commerce.shared.subscribers import subscriber
from commerce.storefront.cache import invalidate_sku
from inventory.events import StockChanged
from pricing.events import PriceChanged


@subscriber("storefront.offer_cache.price_changed", event=PriceChanged)
def on_price_changed(event: PriceChanged) -> None:
    invalidate_sku(event.sku)


@subscriber("storefront.offer_cache.stock_changed", event=StockChanged)
def on_stock_changed(event: StockChanged) -> None:
    invalidate_sku(event.sku)


@subscriber("storefront.offer_cache.product_changed", event=ProductChanged)
def on_product_changed(event: ProductChanged) -> None:
    invalidate_sku(event.sku)


@subscriber("storefront.offer_cache.product_published", event=ProductPublished)
def on_product_published(event: ProductPublished) -> None:
    invalidate_sku(event.sku)


@subscriber("storefront.offer_cache.product_archived", event=ProductArchived)
def on_product_archived(event: ProductArchived) -> None:
    invalidate_sku(event.sku)
