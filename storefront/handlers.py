"""Keeping the storefront's cached product information true: invalidate on every change.

Only product information is cached (cache.py): the catalog's details and
reviews' rating summary, so only the catalog's and reviews' rating events
invalidate; prices and stock are read fresh on every request.
"""

from catalog.events import ProductArchived, ProductChanged, ProductPublished
from kernel.subscribers import subscriber
from reviews.events import RatingChanged
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
