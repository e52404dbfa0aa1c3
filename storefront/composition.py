"""Composing product data from catalog, pricing and inventory.

Each function makes a fixed number of calls, each a batch, whatever the
number of products shown, so a listing page costs the same few queries for
12 products or 96.

A product is sold as variants, each with its own SKU, price and stock. A
listing card shows the product's lowest variant price ("from" when the
variants differ) and whether any variant can be bought; the product page
shows every variant with its own price and availability.

Prices are the shopper's (``pricing.dtos.Shopper``: signed-in customer and
visitor id, from ``pricing.api.shopper``, see shopper.py), exactly as
``pricing.api.quote`` will price the cart: ``pricing.api.offer_prices``
applies the automatic promotions to one unit, so a promoted product shows
the price the cart will charge and the promotion's reason. A "was" price
(the compare-at price or the price before promotions, whichever is
higher) is shown, with the saving, only when it is higher than the price
the shopper pays.

On browse pages (listings, the product page, the composed endpoints) both
inventory and pricing are *optional*: if one raises, the page still
renders, with "availability unknown" or "price unavailable", and nothing is
offered for sale (``purchasable`` is False), because a page without prices
or stock is still useful for browsing and a 500 is useful to nobody. The
cart and checkout never treat pricing or stock as optional: they call
``pricing.api.quote`` and inventory themselves and fail loudly.

Both are called through ``kernel.isolation.call_optional`` inline: on the
request's own thread, in a savepoint, with no time budget (the kernel's
docstring says why), so a failure is logged and counted like any optional
context's.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog import api as catalog_api
from catalog.dtos import ListingQuery, ListingResult, ProductDetail, ProductSummary, Variant
from inventory import api as inventory_api
from inventory.dtos import Availability, StockStatus
from kernel.isolation import call_optional
from kernel.money import Money
from pricing import api as pricing_api
from pricing.dtos import OfferPrice, Shopper
from recommendations import api as recommendations_api
from reviews import api as reviews_api
from reviews.dtos import RatingSummary, ReviewPage
from storefront import cache

#: Best first: a card is as available as its most available variant.
_STATUS_RANK = {StockStatus.IN_STOCK: 0, StockStatus.LOW: 1, StockStatus.OUT: 2}


class _Priced:
    """The price a shopper pays, and the saving against a higher compare-at price."""

    __slots__ = ()

    @property
    def saving(self) -> Money | None:
        if self.compare_at is None:
            return None
        return self.compare_at - self.price


def _was(offer: OfferPrice | None) -> Money | None:
    """The "was" price worth striking through: the compare-at or the price before
    promotions, whichever is higher, and only when above the price paid."""
    if offer is None:
        return None
    was = max(offer.before, offer.compare_at or offer.before)
    return was if was > offer.price else None


def _reason(offer: OfferPrice | None) -> str:
    return " · ".join(offer.reasons) if offer else ""


@dataclass(frozen=True, slots=True)
class VariantOffer(_Priced):
    """One variant as a shopper sees it; ``availability`` None: inventory did not answer."""

    variant: Variant
    price: Money | None
    availability: Availability | None
    compare_at: Money | None = None
    reason: str = ""  # why the price is lower: the automatic promotions applied

    @property
    def purchasable(self) -> bool:
        return (
            self.price is not None
            and self.availability is not None
            and self.availability.purchasable
        )


@dataclass(frozen=True, slots=True)
class ProductOffer(_Priced):
    """A product as a shopper sees it: information, price and availability.

    ``price`` is the lowest price among the variants that have one, and
    ``compare_at`` that variant's "was" price; ``price_varies`` says whether
    other variants cost more (show "from"). ``availability`` is the most
    available variant's, None when inventory did not answer. ``variants``
    is filled for the product page only.
    """

    product: ProductDetail | ProductSummary
    price: Money | None
    availability: Availability | None
    price_varies: bool = False
    variants: tuple[VariantOffer, ...] = ()
    compare_at: Money | None = None
    reason: str = ""

    @property
    def purchasable(self) -> bool:
        if self.variants:
            return any(v.purchasable for v in self.variants)
        return (
            self.price is not None
            and self.availability is not None
            and self.availability.purchasable
        )


@dataclass(frozen=True, slots=True)
class OfferPage:
    """A listing (or search) result with each product's offer, in the same order."""

    offers: tuple[ProductOffer, ...]
    result: ListingResult

    @property
    def page(self):
        return self.result.page


def _skus(product) -> tuple[str, ...]:
    return product.variant_skus or (product.sku,)


def _unknown_stock(sku: str) -> Availability:
    """Inventory has never heard of ``sku``: nothing to sell."""
    return Availability(sku=sku, status=StockStatus.OUT, quantity_shown=0)


def _offers(
    products, currency: str, shopper: Shopper, *, with_variants: bool = False
) -> list[ProductOffer]:
    skus = [sku for product in products for sku in _skus(product)]
    prices: dict[str, OfferPrice] = call_optional(
        "pricing",
        lambda: pricing_api.offer_prices(
            skus=skus, currency=currency, customer=shopper.customer, context=shopper.context
        ),
        fallback={},
        inline=True,
    )
    known = call_optional(
        "inventory", lambda: inventory_api.availability(skus=skus), fallback=None, inline=True
    )
    stock = None if known is None else {sku: known.get(sku) or _unknown_stock(sku) for sku in skus}
    offers = []
    for product in products:
        variant_skus = _skus(product)
        priced = [prices[sku] for sku in variant_skus if sku in prices]
        cheapest = min(priced, key=lambda unit: unit.price.amount) if priced else None
        best = None
        if stock is not None:
            best = min((stock[sku] for sku in variant_skus), key=lambda a: _STATUS_RANK[a.status])
        variants = ()
        if with_variants:
            variants = tuple(
                VariantOffer(
                    variant=variant,
                    price=prices[variant.sku].price if variant.sku in prices else None,
                    compare_at=_was(prices.get(variant.sku)),
                    reason=_reason(prices.get(variant.sku)),
                    availability=None if stock is None else stock[variant.sku],
                )
                for variant in product.variants
            )
        offers.append(
            ProductOffer(
                product=product,
                price=cheapest.price if cheapest else None,
                compare_at=_was(cheapest),
                reason=_reason(cheapest),
                availability=best,
                price_varies=len({unit.price.amount for unit in priced}) > 1,
                variants=variants,
            )
        )
    return offers


def offers_for(products, *, currency: str, shopper: Shopper) -> list[ProductOffer]:
    """Card offers for catalog ``products`` (summaries), in their order: two batch calls."""
    return _offers(products, currency, shopper)


def offer_listing(*, query: ListingQuery, shopper: Shopper) -> OfferPage:
    """A page of a category, the home page or a search, priced for ``shopper``, with stock."""
    result = catalog_api.listing(query=query)
    offers = _offers(result.page.items, query.currency, shopper)
    return OfferPage(offers=tuple(offers), result=result)


def _product_offer(
    product: ProductDetail | None, currency: str, shopper: Shopper
) -> ProductOffer | None:
    if product is None:
        return None
    return _offers([product], currency, shopper, with_variants=True)[0]


def offer_by_slug(*, slug: str, currency: str, shopper: Shopper) -> ProductOffer | None:
    """The product page's offer; ``offer.product.slug`` differs from ``slug`` for a former slug."""
    product = catalog_api.product_by_slug(slug=slug)
    return _product_offer(product, currency, shopper)


def offer_by_sku(*, sku: str, currency: str, shopper: Shopper) -> ProductOffer | None:
    """By product code or by a variant's SKU."""
    product = catalog_api.product_by_sku(sku=sku)
    return _product_offer(product, currency, shopper)


# --- Reviews: optional, on worker threads with a time budget ------------------
#
# Unlike pricing and inventory above, reviews go through
# ``kernel.isolation.call_optional``: a slow reviews context costs the
# product page at most the isolation budget (ISOLATION_BUDGET_SECONDS), and
# a failing one only its reviews, never the page.


def rating_summary(*, product: ProductDetail) -> RatingSummary | None:
    """The rating shown near the title, cached until reviews says it changed.

    None: reviews did not answer in time (then nothing is cached).
    """
    return cache.for_product(
        sku=product.sku,
        key=f"rating:{product.id}",
        load=lambda: call_optional(
            "reviews",
            lambda: reviews_api.rating_summary(product_id=product.id),
            fallback=None,
        ),
    )


def product_reviews(
    *, product_id: int, params: dict[str, list[str]], viewer_id: int | None
) -> ReviewPage | None:
    """The page of the product's reviews the URL's ``params`` ask for (bad values
    ignored); None: reviews did not answer in time."""
    return call_optional(
        "reviews",
        lambda: _reviews_page(product_id=product_id, params=params, viewer_id=viewer_id),
        fallback=None,
    )


def _reviews_page(
    *, product_id: int, params: dict[str, list[str]], viewer_id: int | None
) -> ReviewPage:
    query, _ignored = reviews_api.review_query_from_params(params=params)
    return reviews_api.product_reviews(product_id=product_id, query=query, viewer_id=viewer_id)


@dataclass(frozen=True, slots=True)
class ReviewsSection:
    """The rating near the title and, when it came too, the page of reviews below."""

    rating: RatingSummary
    reviews: ReviewPage | None


def reviews_section(
    *, product: ProductDetail, params: dict[str, list[str]], viewer_id: int | None
) -> ReviewsSection | None:
    """What the product page and the product endpoint show of reviews; None: reviews is down.

    When even the (usually cached) summary does not come, the page of
    reviews is not asked for: reviews is failing or slow, and one time
    budget is enough.
    """
    rating = rating_summary(product=product)
    if rating is None:
        return None
    reviews = product_reviews(product_id=product.id, params=params, viewer_id=viewer_id)
    return ReviewsSection(rating=rating, reviews=reviews)


# --- Recommendations: an optional section, through call_optional ------------
#
# Recommendations is an optional context of the heavier kind: it may be slow
# (it ranks), so it runs through ``kernel.isolation.call_optional`` with a
# time budget (``ISOLATION_BUDGET_SECONDS``) on a worker thread, and its
# section is left out when it raises, overruns or has no room in its
# bulkhead. The products it names are then shown like listing cards: one
# catalog batch and one price and stock batch for all of them, so the page
# costs the same queries for one suggestion or sixteen.


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A product recommendations suggests, priced for the shopper, and why (a ``Reason``)."""

    offer: ProductOffer
    reason: str


@dataclass(frozen=True, slots=True)
class Suggestions:
    """The product page's recommendation rows; ``recently_viewed`` is the visitor's own."""

    items: tuple[Suggestion, ...]
    recently_viewed: tuple[Suggestion, ...] = ()


def suggestions_for(
    *, product_id: int, currency: str, shopper: Shopper, viewer: str | None = None
) -> Suggestions | None:
    """What to suggest on ``product_id``'s page, or None when recommendations did not answer.

    ``viewer``: whose own view of the product this is (the API's product
    detail; `shopper.viewer_of`): it counts towards their recently viewed,
    and that row comes too. The product page, which caches share between
    visitors, asks for the row apart (`recently_viewed_for`).
    """
    found = call_optional(
        "recommendations",
        lambda: recommendations_api.for_product(product_id=product_id, visitor_id=viewer),
        fallback=None,
    )
    if found is None:
        return None
    rows = _suggested([found.items, found.recently_viewed], currency, shopper)
    return Suggestions(items=rows[0], recently_viewed=rows[1])


def recently_viewed_for(
    *, product_id: int, currency: str, shopper: Shopper, viewer: str | None
) -> tuple[Suggestion, ...] | None:
    """Count ``viewer``'s view of ``product_id`` (`shopper.viewer_of`); their other recent
    views as cards priced for ``shopper``.

    None when recommendations did not answer (or there is no viewer to count).
    """
    if not viewer:
        return None
    found = call_optional(
        "recommendations",
        lambda: recommendations_api.viewed(product_id=product_id, visitor_id=viewer),
        fallback=None,
    )
    return None if found is None else _suggested([found], currency, shopper)[0]


def _suggested(rows, currency: str, shopper: Shopper) -> list[tuple[Suggestion, ...]]:
    """Each row of ``Recommendation`` as priced cards, in one batch for all rows."""
    wanted = list(dict.fromkeys(item.product_id for row in rows for item in row))
    if not wanted:
        return [() for _ in rows]
    products = catalog_api.products_by_id(ids=wanted)
    shown = [products[pid] for pid in wanted if pid in products]
    offers = {offer.product.id: offer for offer in _offers(shown, currency, shopper)}
    return [
        tuple(
            Suggestion(offer=offers[item.product_id], reason=str(item.reason))
            for item in row
            if item.product_id in offers
        )
        for row in rows
    ]
