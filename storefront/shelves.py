"""The home page's shelves: current promotions, new arrivals and best sellers.

Each shelf is a fixed number of batch calls whatever it holds. Promotions
and best sellers come from other contexts (pricing, orders) and are
optional like prices on browse pages: if one fails its shelf is left out
and the home page still renders.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog import api as catalog_api
from catalog.dtos import ListingQuery, Sort
from kernel.isolation import call_optional
from orders import api as orders_api
from pricing import api as pricing_api
from pricing.dtos import PromotionNotice, Shopper
from storefront.composition import OfferPage, ProductOffer, offers_for

SHELF_SIZE = 4
BEST_SELLER_DAYS = 30


@dataclass(frozen=True, slots=True)
class Shelves:
    promotions: tuple[PromotionNotice, ...]
    new_arrivals: tuple[ProductOffer, ...]
    best_sellers: tuple[ProductOffer, ...]


def _new_arrivals(
    currency: str, shopper: Shopper, shown: OfferPage | None
) -> tuple[ProductOffer, ...]:
    """The newest products: the top of the page below when it lists them newest first
    (no more queries), else a listing of their own."""
    if shown is not None and shown.result.query.effective_sort is Sort.NEWEST:
        return shown.offers[:SHELF_SIZE]
    query = ListingQuery(sort=Sort.NEWEST, per_page=SHELF_SIZE, currency=currency)
    result = catalog_api.listing(query=query, with_facets=False)
    return tuple(offers_for(result.page.items, currency=currency, shopper=shopper))


def _best_sellers(currency: str, shopper: Shopper) -> tuple[ProductOffer, ...]:
    """The best-selling products a shopper can buy now.

    Orders know what sold, not whether it is still for sale: products
    archived since (or not yet published) are left out by the catalog, and
    those without a price or stock now by their offers. Twice a shelf of
    SKUs is asked for, so a few such gaps still leave a full shelf.
    """
    skus = call_optional(
        "orders",
        lambda: orders_api.best_selling_skus(days=BEST_SELLER_DAYS, limit=SHELF_SIZE * 2),
        fallback=[],
        inline=True,
    )
    if not skus:
        return ()
    by_sku = catalog_api.products_by_sku(skus=skus, include_unpublished=False)
    products = {}
    for sku in skus:  # best first; two variants of one product make one card
        if (product := by_sku.get(sku)) is not None:
            products.setdefault(product.id, product)
    offers = offers_for(list(products.values()), currency=currency, shopper=shopper)
    return tuple(offer for offer in offers if offer.purchasable)[:SHELF_SIZE]


def home_shelves(
    *, currency: str, shopper: Shopper, with_products: bool, shown: OfferPage | None = None
) -> Shelves:
    """The shelves above ``shown`` (the home page's unfiltered first page; None: the
    app's home feed, which lists no products below); ``with_products`` False
    leaves the product shelves empty.

    A catalog that fits on one page is its own shop window: shelves of
    the same few products above it would only repeat them.
    """
    promotions = call_optional(
        "pricing",
        lambda: pricing_api.current_promotions(limit=4, currency=currency),
        fallback=[],
        inline=True,
    )
    if not with_products:
        return Shelves(promotions=tuple(promotions), new_arrivals=(), best_sellers=())
    return Shelves(
        promotions=tuple(promotions),
        new_arrivals=_new_arrivals(currency, shopper, shown),
        best_sellers=_best_sellers(currency, shopper),
    )
