"""SKUs by name and names by SKU, for other contexts' staff pages.

Prices, stock and reservations are kept per SKU; staff think in products
("the wool sweater, size M"). These reads let pricing's and inventory's
admin lists show names beside SKUs and find rows by name, in a fixed number
of queries per page.
"""

from __future__ import annotations

from django.db.models import Q

from catalog.dtos import SkuName
from catalog.models import Product, ProductVariant

#: Most SKUs a name search hands back: a search narrows a list, it does not dump the catalog.
MATCH_LIMIT = 500


def _variant_label(variant: ProductVariant) -> str:
    if variant.name:
        return variant.name
    choices = sorted(variant.option_values.all(), key=lambda choice: choice.attribute.position)
    return " / ".join(choice.value for choice in choices)


def names_by_sku(*, skus: list[str]) -> dict[str, SkuName]:
    """Each known SKU (variant SKU or product code) with its names; three queries."""
    found = {
        product.sku: SkuName(sku=product.sku, product_id=product.pk, product_title=product.title)
        for product in Product.objects.filter(sku__in=skus).only("id", "sku", "title")
    }
    variants = (
        ProductVariant.objects.filter(sku__in=skus)
        .select_related("product")
        .prefetch_related("option_values__attribute")
    )
    for variant in variants:
        found[variant.sku] = SkuName(
            sku=variant.sku,
            product_id=variant.product_id,
            product_title=variant.product.title,
            variant=_variant_label(variant),
        )
    return found


def skus_named(*, text: str) -> list[str]:
    """SKUs whose product title or variant name contains ``text`` (at most MATCH_LIMIT)."""
    text = text.strip()
    if not text:
        return []
    variant_skus = ProductVariant.objects.filter(
        Q(product__title__icontains=text) | Q(name__icontains=text)
    ).values_list("sku", flat=True)[:MATCH_LIMIT]
    product_skus = Product.objects.filter(title__icontains=text).values_list("sku", flat=True)[
        :MATCH_LIMIT
    ]
    return sorted({*variant_skus, *product_skus})[:MATCH_LIMIT]
