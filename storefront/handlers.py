"""The storefront's subscribers: its own product cache, and the HTTP cache in front.

``storefront.offer_cache.*``: only product information is cached by the
gateway (cache.py), reviews' rating summary keyed by the product's code,
so only the catalog's and reviews' rating events invalidate it.

``storefront.front_cache.*``: the pages the cache in front shares
(http_cache.py) are banned by the tags of what changed (cache_tags.py,
front_cache.py, ADR 0019): catalog changes, base prices, stock and
promotions, each seen on listing cards. A ban that fails fails the
delivery, which the relay retries. Without a cache in front
(``HTTP_CACHE_PURGE_URLS`` unset) they do nothing, not even a read.
"""

from catalog.events import ProductArchived, ProductChanged, ProductPublished
from inventory.events import StockChanged
from kernel.subscribers import subscriber
from pricing.events import PriceChanged, PromotionChanged
from reviews.events import RatingChanged
from storefront import cache_tags, front_cache
from storefront.cache import invalidate_sku


@subscriber("storefront.offer_cache.product_changed", event=ProductChanged)
def on_product_changed(event: ProductChanged) -> None:
    invalidate_sku(event.sku)


@subscriber("storefront.offer_cache.product_published", event=ProductPublished)
def on_product_published(event: ProductPublished) -> None:
    invalidate_sku(event.sku)


@subscriber("storefront.offer_cache.product_archived", event=ProductArchived)
def on_product_archived(event: ProductArchived) -> None:
    invalidate_sku(event.sku)


@subscriber("storefront.offer_cache.rating_changed", event=RatingChanged)
def on_rating_changed(event: RatingChanged) -> None:
    invalidate_sku(event.product_sku)


@subscriber("storefront.front_cache.product_changed", event=ProductChanged)
def ban_changed_product(event: ProductChanged) -> None:
    front_cache.ban(cache_tags.of_catalog_change(event))


@subscriber("storefront.front_cache.product_published", event=ProductPublished)
def ban_published_product(event: ProductPublished) -> None:
    front_cache.ban(cache_tags.of_catalog_change(event))


@subscriber("storefront.front_cache.product_archived", event=ProductArchived)
def ban_archived_product(event: ProductArchived) -> None:
    front_cache.ban(cache_tags.of_catalog_change(event))


@subscriber("storefront.front_cache.price_changed", event=PriceChanged)
def ban_repriced_product(event: PriceChanged) -> None:
    if front_cache.enabled():
        front_cache.ban(cache_tags.of_skus([event.sku]))


@subscriber("storefront.front_cache.stock_changed", event=StockChanged)
def ban_restocked_product(event: StockChanged) -> None:
    if front_cache.enabled():
        front_cache.ban(cache_tags.of_skus([event.sku]))


@subscriber("storefront.front_cache.promotion_changed", event=PromotionChanged)
def ban_every_page_on_promotion(event: PromotionChanged) -> None:
    """A promotion changes prices wherever its products are shown, and the home page's
    "Current offers"; one on a category or the whole basket reaches products no tag
    names by category, so every shared page goes (promotions change seldom)."""
    front_cache.ban([cache_tags.EVERY_PAGE])
