"""This context's copy of products: what the catalog, inventory and pricing announced.

Recommendations answers without calling anyone (the page that asks is
waiting), so it keeps what it compares and filters on:

- per product: status, and its *tags*, the properties two products can
  share: its categories (the primary one weighs most), brand, attribute
  values and price band;
- per SKU: its product, its sellable quantity and its price in the shop's
  default currency.

A product is refreshed from ``catalog.api.product_by_id`` whenever a
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

from django.conf import settings
from django.db.models import Min, Q

from catalog.dtos import ProductDetail
from kernel.databases import atomic
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


@atomic("recommendations")
def profile_refresh(*, product_id: int, product: ProductDetail | None) -> None:
    """Make the copy of product ``product_id`` what ``product`` (the catalog's now) says.

    ``product`` None: the catalog no longer has it, so it is archived here
    (orders and co-purchase counts may still name it).
    """
    if product is None:
        ProductProfile.objects.filter(pk=product_id).update(status=ProductProfile.Status.ARCHIVED)
        return
    ProductProfile.objects.update_or_create(
        pk=product_id,
        defaults={
            "sku": product.sku,
            "slug": product.slug,
            "title": product.title,
            "status": _status(product),
            "published_at": product.published_at,
        },
    )
    skus = [variant.sku for variant in product.variants] or [product.sku]
    SkuState.objects.filter(product_id=product_id).exclude(sku__in=skus).update(product_id=None)
    SkuState.objects.bulk_create([SkuState(sku=sku) for sku in skus], ignore_conflicts=True)
    SkuState.objects.filter(sku__in=skus).update(product_id=product_id)
    tags = _category_and_brand_tags(product)
    ProductTag.objects.filter(product_id=product_id).exclude(tag__startswith="band:").delete()
    ProductTag.objects.bulk_create(
        [ProductTag(product_id=product_id, tag=tag, weight=w) for tag, w in tags.items()]
    )
    _band_refresh(product_id)


def _band_refresh(product_id: int | None) -> None:
    """Re-tag the product's price band from its cheapest variant's price."""
    if product_id is None or not ProductProfile.objects.filter(pk=product_id).exists():
        return
    cheapest = SkuState.objects.filter(product_id=product_id).aggregate(low=Min("price"))["low"]
    ProductTag.objects.filter(product_id=product_id, tag__startswith="band:").delete()
    if cheapest is not None:
        ProductTag.objects.create(
            product_id=product_id, tag=f"band:{price_band(cheapest)}", weight=PRICE_BAND_WEIGHT
        )


def _newer(field: str, changed_at: datetime) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": changed_at})


@atomic("recommendations")
def stock_record(*, sku: str, quantity: int, changed_at: datetime) -> None:
    """Inventory says ``quantity`` of ``sku`` can be sold (ignored if older than what we have)."""
    SkuState.objects.bulk_create([SkuState(sku=sku)], ignore_conflicts=True)
    SkuState.objects.filter(_newer("stock_changed_at", changed_at), sku=sku).update(
        quantity=quantity, stock_changed_at=changed_at
    )


@atomic("recommendations")
def price_record(*, sku: str, currency: str, amount: Decimal, changed_at: datetime) -> None:
    """Pricing set ``sku``'s base price; only the shop's default currency makes price bands."""
    if currency != settings.DEFAULT_CURRENCY:
        return
    SkuState.objects.bulk_create([SkuState(sku=sku)], ignore_conflicts=True)
    updated = SkuState.objects.filter(_newer("price_changed_at", changed_at), sku=sku).update(
        price=amount, price_changed_at=changed_at
    )
    if updated:
        _band_refresh(SkuState.objects.get(pk=sku).product_id)
