"""Composing product data from catalog, pricing and inventory.

Each function makes a fixed number of calls, each a batch, whatever the
number of products shown, so a listing page costs the same few queries for
12 products or 96.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog import api as catalog_api
from catalog.dtos import ProductDetail, ProductPage, ProductSummary
from commerce.shared.money import Money
from commerce.storefront import cache
from inventory import api as inventory_api
from inventory.dtos import Availability
from pricing import api as pricing_api


@dataclass(frozen=True, slots=True)
class ProductOffer:
    """A product as a shopper sees it: information, price and availability."""

    product: ProductDetail | ProductSummary
    price: Money | None
    availability: Availability

    @property
    def purchasable(self) -> bool:
        return self.price is not None and self.availability.purchasable


@dataclass(frozen=True, slots=True)
class OfferPage:
    offers: tuple[ProductOffer, ...]
    page: ProductPage


def _offers(products, currency: str) -> list[ProductOffer]:
    skus = [p.sku for p in products]
    prices = pricing_api.prices_for(skus=skus, currency=currency)
    availability = inventory_api.availability(skus=skus)
    return [
        ProductOffer(
            product=p,
            price=prices[p.sku].price if p.sku in prices else None,
            availability=availability[p.sku],
        )
        for p in products
    ]


def offer_page(*, page: int, per_page: int, currency: str) -> OfferPage:
    products = catalog_api.product_page(page=page, per_page=per_page)
    return OfferPage(offers=tuple(_offers(products.items, currency)), page=products)


def offer_by_slug(*, slug: str, currency: str) -> ProductOffer | None:
    return cache.product_offer(
        key=f"slug:{slug}:{currency}",
        load_product=lambda: catalog_api.product_by_slug(slug=slug),
        compose=lambda product: _offers([product], currency)[0],
    )


def offer_by_sku(*, sku: str, currency: str) -> ProductOffer | None:
    return cache.product_offer(
        key=f"sku:{sku}:{currency}",
        load_product=lambda: catalog_api.product_by_sku(sku=sku),
        compose=lambda product: _offers([product], currency)[0],
    )
