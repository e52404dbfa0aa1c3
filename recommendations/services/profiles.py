"""This context's copy of products: what the catalog, inventory and pricing announced.

Recommendations answers without calling anyone (the page that asks is
waiting), so it keeps what it compares and filters on:

- per product: status, and its *tags*, the properties two products can
  share: its categories (the primary one weighs most), brand, attribute
  values and price band;
- per SKU: its product, its sellable quantity and its price in the shop's
  default currency.

A product is refreshed from ``catalog.api.product_details_by_id`` whenever a
catalog event about it arrives: the events carry categories and brand but
neither the status after every change (a product can go back to draft) nor
attribute values, and reading the product as it is now also makes the order
in which events arrive irrelevant. Stock and prices keep the newest
``changed_at``, so a late delivery is dropped.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db.models import Min, Q

from catalog.dtos import ProductDetail
from kernel.databases import atomic, database_of
from kernel.inserts import upsert_newer
from recommendations.models import ProductProfile, ProductTag, SkuState

#: The weight of each kind of shared property in "similar products".
PRIMARY_CATEGORY_WEIGHT = 4
OTHER_CATEGORY_WEIGHT = 1
BRAND_WEIGHT = 2
ATTRIBUTE_WEIGHT = 1
PRICE_BAND_WEIGHT = 2

#: Price bands grow by half: 10-15, 15-22.5, ... A product is "in the same
#: price range" as another in the same band.
PRICE_BAND_RATIO = 1.5


def price_band(price: Decimal) -> int:
    """The band of ``price``: prices within a factor of ``PRICE_BAND_RATIO`` mostly share one."""
    return math.floor(math.log(max(float(price), 0.01)) / math.log(PRICE_BAND_RATIO))


def _category_and_brand_tags(product: ProductDetail) -> dict[str, int]:
    tags: dict[str, int] = {}
    if product.category is not None:
        tags[f"cat:{product.category.slug}"] = PRIMARY_CATEGORY_WEIGHT
    for ref in (*product.breadcrumbs, *product.secondary_categories):
        tags.setdefault(f"cat:{ref.slug}", OTHER_CATEGORY_WEIGHT)
    if product.brand is not None:
        tags[f"brand:{product.brand.slug}"] = BRAND_WEIGHT
    for attribute in product.attributes:
        tags[f"attr:{attribute.code}={attribute.value}"] = ATTRIBUTE_WEIGHT
    return tags


def _status(product: ProductDetail) -> str:
    if product.status == "published":
        return ProductProfile.Status.PUBLISHED
    if product.status == "archived":
        return ProductProfile.Status.ARCHIVED
    return ProductProfile.Status.HIDDEN


def profile_refresh(*, product_id: int, product: ProductDetail | None) -> None:
    """Make the copy of product ``product_id`` what ``product`` (the catalog's now) says.

    ``product`` None: the catalog no longer has it, so it is archived here
    (orders and co-purchase counts may still name it).
    """
    profiles_refresh(products={product_id: product})


@atomic("recommendations")
def profiles_refresh(*, products: dict[int, ProductDetail | None]) -> None:
    """``profile_refresh`` for many products (a batch of the catalog's events), in
    a few statements whatever their number, taking the profiles' rows in id
    order (two batches sharing products wait for each other, never deadlock).
    """
    gone = [product_id for product_id, product in products.items() if product is None]
    ProductProfile.objects.filter(pk__in=gone).update(status=ProductProfile.Status.ARCHIVED)
    present = {pk: products[pk] for pk in sorted(products) if products[pk] is not None}
    if not present:
        return
    ProductProfile.objects.bulk_create(
        [
            ProductProfile(
                pk=product_id,
                sku=product.sku,
                slug=product.slug,
                title=product.title,
                status=_status(product),
                published_at=product.published_at,
            )
            for product_id, product in present.items()
        ],
        update_conflicts=True,
        unique_fields=["product_id"],
        update_fields=["sku", "slug", "title", "status", "published_at"],
    )
    owner = {
        sku: product_id
        for product_id, product in present.items()
        for sku in ([variant.sku for variant in product.variants] or [product.sku])
    }
    SkuState.objects.filter(product_id__in=present).exclude(sku__in=owner).update(product_id=None)
    SkuState.objects.bulk_create(
        [SkuState(sku=sku, product_id=owner[sku]) for sku in sorted(owner)],
        update_conflicts=True,
        unique_fields=["sku"],
        update_fields=["product_id"],
    )
    ProductTag.objects.filter(product_id__in=present).exclude(tag__startswith="band:").delete()
    ProductTag.objects.bulk_create(
        ProductTag(product_id=product_id, tag=tag, weight=weight)
        for product_id, product in present.items()
        for tag, weight in _category_and_brand_tags(product).items()
    )
    _bands_refresh(set(present))


def _bands_refresh(product_ids: set[int]) -> None:
    """Re-tag the products' price bands from their cheapest variants' prices.

    Under a lock on each product's profile (in id order): deliveries of two
    variants' prices running at once would otherwise both replace the
    product's band tag, and one of them fail on the tag's uniqueness (or
    keep a band from before the other's price).
    """
    ids = list(
        ProductProfile.objects.select_for_update()
        .filter(pk__in=product_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    cheapest = (
        SkuState.objects.filter(product_id__in=ids, price__isnull=False)
        .values("product_id")
        .annotate(low=Min("price"))
        .values_list("product_id", "low")
        .order_by()
    )
    ProductTag.objects.filter(product_id__in=ids, tag__startswith="band:").delete()
    ProductTag.objects.bulk_create(
        ProductTag(product_id=product_id, tag=f"band:{price_band(low)}", weight=PRICE_BAND_WEIGHT)
        for product_id, low in cheapest
    )


def _newer(field: str, changed_at: datetime) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": changed_at})


class PriceSeen(NamedTuple):
    """A base price pricing announced (``PriceChanged``)."""

    sku: str
    currency: str
    amount: Decimal
    changed_at: datetime


def stock_record(*, sku: str, quantity: int, changed_at: datetime) -> None:
    """Inventory says ``quantity`` of ``sku`` can be sold (ignored if older than what we have)."""
    stocks_record(stocks=[SkuState(sku=sku, quantity=quantity, stock_changed_at=changed_at)])


@atomic("recommendations")
def stocks_record(*, stocks: list[SkuState]) -> None:
    """``stock_record`` for many SKUs at once (a batch of events): one statement."""
    upsert_newer(
        rows=stocks,
        using=database_of("recommendations"),
        unique=("sku",),
        version="stock_changed_at",
        fields=("quantity", "stock_changed_at"),
    )


def price_record(*, sku: str, currency: str, amount: Decimal, changed_at: datetime) -> None:
    """Pricing set ``sku``'s base price; only the shop's default currency makes price bands."""
    prices_record(prices=[PriceSeen(sku, currency, amount, changed_at)])


@atomic("recommendations")
def prices_record(*, prices: list[PriceSeen]) -> None:
    """``price_record`` for many SKUs at once (a batch of events): a few statements,
    and the bands of the products whose prices changed."""
    changed = upsert_newer(
        rows=[
            SkuState(sku=price.sku, price=price.amount, price_changed_at=price.changed_at)
            for price in prices
            if price.currency == settings.DEFAULT_CURRENCY
        ],
        using=database_of("recommendations"),
        unique=("sku",),
        version="price_changed_at",
        fields=("price", "price_changed_at"),
    )
    if changed:
        products = SkuState.objects.filter(sku__in=[row.sku for row in changed])
        _bands_refresh(set(products.exclude(product_id=None).values_list("product_id", flat=True)))
