"""The storefront's subscribers: its own product cache, and the HTTP cache in front.

``storefront.offer_cache.*``: only product information is cached by the
gateway (cache.py), reviews' rating summary keyed by the product's code,
so only the catalog's and reviews' rating events invalidate it.

``storefront.front_cache.*``: the pages the cache in front shares
(http_cache.py) are banned by the tags of what changed (cache_tags.py,
front_cache.py, ADR 0019): catalog changes, base prices, stock,
ratings and promotions, each seen on product pages and listing cards; one ban per batch of events
(ADR 0020), so an import's thousands of changes are a few bans. A ban
that fails fails the delivery, which the relay retries. Without a cache
in front (``HTTP_CACHE_PURGE_URLS`` unset where the relay runs) they get no
deliveries at all (``wanted``).
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


@subscriber(
    "storefront.front_cache.product_changed",
    event=ProductChanged,
    batch=True,
    wanted=front_cache.enabled,
)
def ban_changed_products(events: list[ProductChanged]) -> None:
    front_cache.ban(_of_catalog_changes(events))


@subscriber(
    "storefront.front_cache.product_published",
    event=ProductPublished,
    batch=True,
    wanted=front_cache.enabled,
)
def ban_published_products(events: list[ProductPublished]) -> None:
    front_cache.ban(_of_catalog_changes(events))


@subscriber(
    "storefront.front_cache.product_archived",
    event=ProductArchived,
    batch=True,
    wanted=front_cache.enabled,
)
def ban_archived_products(events: list[ProductArchived]) -> None:
    front_cache.ban(_of_catalog_changes(events))


@subscriber(
    "storefront.front_cache.price_changed",
    event=PriceChanged,
    batch=True,
    wanted=front_cache.enabled,
)
def ban_repriced_products(events: list[PriceChanged]) -> None:
    front_cache.ban(cache_tags.of_skus(event.sku for event in events))


@subscriber(
    "storefront.front_cache.stock_changed",
    event=StockChanged,
    batch=True,
    wanted=front_cache.enabled,
)
def ban_restocked_products(events: list[StockChanged]) -> None:
    front_cache.ban(cache_tags.of_skus(event.sku for event in events))


@subscriber(
    "storefront.front_cache.rating_changed",
    event=RatingChanged,
    batch=True,
    wanted=front_cache.enabled,
)
def ban_rerated_products(events: list[RatingChanged]) -> None:
    """The product page's rating and reviews, and the stars on its cards."""
    front_cache.ban(list(dict.fromkeys(cache_tags.product(e.product_id) for e in events)))


@subscriber(
    "storefront.front_cache.promotion_changed",
    event=PromotionChanged,
    batch=True,
    wanted=front_cache.enabled,
)
def ban_every_page_on_promotion(events: list[PromotionChanged]) -> None:
    """A promotion changes prices wherever its products are shown, and the home page's
    "Current offers"; one on a category or the whole basket reaches products no tag
    names by category, so every shared page goes (promotions change seldom)."""
    front_cache.ban([cache_tags.EVERY_PAGE])


def _of_catalog_changes(events) -> list[str]:
    """The tags of a batch of catalog changes, each once: one ban for an import's batch."""
    return list(
        dict.fromkeys(tag for event in events for tag in cache_tags.of_catalog_change(event))
    )
