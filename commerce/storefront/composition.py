"""Composing product data from catalog, pricing and inventory.

Each function makes a fixed number of calls, each a batch, whatever the
number of products shown, so a listing page costs the same few queries for
12 products or 96.

A product is sold as variants, each with its own SKU, price and stock. A
listing card shows the product's lowest variant price ("from" when the
variants differ) and whether any variant can be bought; the product page
shows every variant with its own price and availability.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog import api as catalog_api
from catalog.dtos import ListingQuery, ListingResult, ProductDetail, ProductSummary, Variant
from commerce.shared.money import Money
from commerce.storefront import cache
from inventory import api as inventory_api
from inventory.dtos import Availability, StockStatus
from pricing import api as pricing_api

#: Best first: a card is as available as its most available variant.
_STATUS_RANK = {StockStatus.IN_STOCK: 0, StockStatus.LOW: 1, StockStatus.OUT: 2}


@dataclass(frozen=True, slots=True)
class VariantOffer:
    variant: Variant
    price: Money | None
    availability: Availability

    @property
    def purchasable(self) -> bool:
        return self.price is not None and self.availability.purchasable


@dataclass(frozen=True, slots=True)
class ProductOffer:
    """A product as a shopper sees it: information, price and availability.

    ``price`` is the lowest price among the variants that have one;
    ``price_varies`` says whether other variants cost more (show "from").
    ``variants`` is filled for the product page only.
    """

    product: ProductDetail | ProductSummary
    price: Money | None
    availability: Availability
    price_varies: bool = False
    variants: tuple[VariantOffer, ...] = ()

    @property
    def purchasable(self) -> bool:
        if self.variants:
            return any(v.purchasable for v in self.variants)
        return self.price is not None and self.availability.purchasable


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


def _offers(products, currency: str, *, with_variants: bool = False) -> list[ProductOffer]:
    skus = [sku for product in products for sku in _skus(product)]
    prices = pricing_api.prices_for(skus=skus, currency=currency)
    known = inventory_api.availability(skus=skus)
    stock = {sku: known.get(sku) or _unknown_stock(sku) for sku in skus}
    offers = []
    for product in products:
        variant_skus = _skus(product)
        amounts = [prices[sku].price for sku in variant_skus if sku in prices]
        cheapest = min(amounts, key=lambda money: money.amount) if amounts else None
        best = min((stock[sku] for sku in variant_skus), key=lambda a: _STATUS_RANK[a.status])
        variants = ()
        if with_variants:
            variants = tuple(
                VariantOffer(
                    variant=variant,
                    price=prices[variant.sku].price if variant.sku in prices else None,
                    availability=stock[variant.sku],
                )
                for variant in product.variants
            )
        offers.append(
            ProductOffer(
                product=product,
                price=cheapest,
                availability=best,
                price_varies=len({money.amount for money in amounts}) > 1,
                variants=variants,
            )
        )
    return offers


def offer_listing(*, query: ListingQuery) -> OfferPage:
    """A page of a category, the home page or a search, priced and with stock."""
    result = catalog_api.listing(query=query)
    return OfferPage(offers=tuple(_offers(result.page.items, query.currency)), result=result)


def _product_offer(product: ProductDetail | None, currency: str) -> ProductOffer | None:
    if product is None:
        return None
    return _offers([product], currency, with_variants=True)[0]


def offer_by_slug(*, slug: str, currency: str) -> ProductOffer | None:
    """The product page's offer; ``offer.product.slug`` differs from ``slug`` for a former slug."""
    return cache.product_offer(
        key=f"slug:{slug}:{currency}",
        load_product=lambda: catalog_api.product_by_slug(slug=slug),
        compose=lambda product: _product_offer(product, currency),
    )


def offer_by_sku(*, sku: str, currency: str) -> ProductOffer | None:
    """By product code or by a variant's SKU."""
    return cache.product_offer(
        key=f"sku:{sku}:{currency}",
        load_product=lambda: catalog_api.product_by_sku(sku=sku),
        compose=lambda product: _product_offer(product, currency),
    )
