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
    product = cache.product_detail(
        key=f"slug:{slug}", load=lambda: catalog_api.product_by_slug(slug=slug)
    )
    return _product_offer(product, currency, shopper)


def offer_by_sku(*, sku: str, currency: str, shopper: Shopper) -> ProductOffer | None:
    """By product code or by a variant's SKU."""
    product = cache.product_detail(
        key=f"sku:{sku}", load=lambda: catalog_api.product_by_sku(sku=sku)
    )
    return _product_offer(product, currency, shopper)
