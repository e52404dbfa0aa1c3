"""The product-level search projection: lowest price per currency, and "in stock".

``SkuPrice``/``SkuStock`` hold what pricing's and inventory's events said
about each SKU; listings need it per *product* (any variant in stock, the
cheapest variant's price). ``refresh`` derives that for some products. It
runs when a SKU's projected price or stock changes and when a product's
variants are written, so a price that arrived before its variant existed
(prices loaded before a launch) is picked up when the variant appears.

Refreshes of one product are serialized by a row lock on the product, so
two variants' prices arriving at once cannot leave a stale minimum (each
refresh reads the other's committed price once it holds the lock).
"""

from __future__ import annotations

from catalog import cache
from catalog.models import ListingPrice, Product, ProductVariant, SkuPrice, SkuStock
from kernel.databases import atomic

CHUNK = 2000


@atomic("catalog")
def refresh(*, product_ids: list[int]) -> None:
    cache.listings_changed()
    for start in range(0, len(product_ids), CHUNK):
        _refresh(sorted(product_ids[start : start + CHUNK]))


def refresh_for_skus(*, skus: set[str]) -> None:
    """``refresh`` the products of ``skus`` (none: nothing, not even the listings' cache)."""
    if not skus:
        return
    refresh(
        product_ids=list(
            ProductVariant.objects.filter(sku__in=skus).values_list("product_id", flat=True)
        )
    )


def _refresh(product_ids: list[int]) -> None:
    ids = list(
        Product.objects.select_for_update()
        .filter(pk__in=product_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    owner = dict(ProductVariant.objects.filter(product_id__in=ids).values_list("sku", "product_id"))
    lowest: dict[tuple[int, str], object] = {}
    stocked: set[int] = set()
    skus = list(owner)
    for start in range(0, len(skus), CHUNK):
        batch = skus[start : start + CHUNK]
        for sku, currency, amount in SkuPrice.objects.filter(sku__in=batch).values_list(
            "sku", "currency", "amount"
        ):
            key = (owner[sku], currency)
            if key not in lowest or amount < lowest[key]:
                lowest[key] = amount
        stocked.update(
            owner[sku]
            for sku in SkuStock.objects.filter(sku__in=batch, quantity__gt=0).values_list(
                "sku", flat=True
            )
        )
    ListingPrice.objects.filter(product_id__in=ids).delete()
    ListingPrice.objects.bulk_create(
        [
            ListingPrice(product_id=product_id, currency=currency, amount=amount)
            for (product_id, currency), amount in lowest.items()
        ],
        batch_size=5000,
    )
    Product.objects.filter(pk__in=stocked).exclude(in_stock=True).update(in_stock=True)
    Product.objects.filter(pk__in=ids).exclude(pk__in=stocked).exclude(in_stock=False).update(
        in_stock=False
    )
