"""What is stored of the products an upsert updates, as ``Fingerprint``s to compare inputs with.

An input equal to its stored product is left alone. The stored side is
read with a plain query per relation, as values: prefetching each
product's relations as model instances (and going through their related
managers) was most of the time of re-importing an unchanged file, which
reads every stored product twice (checking, then writing).
"""

from __future__ import annotations

from collections import defaultdict

from catalog.models import Product, ProductAttributeValue, ProductVariant
from catalog.upsert.lookup import Among
from catalog.upsert.validate import Fingerprint, TypedValue, VariantPlan


def fingerprints(products: list[Product]) -> dict[str, Fingerprint]:
    """Each of ``products``' fingerprint (their brands loaded), by product code."""
    secondary, values = defaultdict(list), defaultdict(dict)
    variants, options = defaultdict(list), defaultdict(list)
    Secondary = Product.secondary_categories.through
    Options = ProductVariant.option_values.through
    ids = Among([product.pk for product in products])
    for product_id, category_id in Secondary.objects.filter(product_id__in=ids).values_list(
        "product_id", "category_id"
    ):
        secondary[product_id].append(category_id)
    for product_id, attribute_id, *value in ProductAttributeValue.objects.filter(
        product_id__in=ids
    ).values_list("product_id", "attribute_id", "text", "number", "boolean", "choice_id"):
        values[product_id][attribute_id] = _typed(*value)
    for product_id, *variant in (
        ProductVariant.objects.filter(product_id__in=ids)
        .order_by("position", "pk")
        .values_list("product_id", "pk", "sku", "name")
    ):
        variants[product_id].append(variant)
    # By the variants' ids, not joined to them by product: the planner would scan the table.
    variant_ids = [variant[0] for listed in variants.values() for variant in listed]
    for variant_id, choice_id in Options.objects.filter(
        productvariant_id__in=Among(variant_ids)
    ).values_list("productvariant_id", "attributechoice_id"):
        options[variant_id].append(choice_id)
    return {
        product.sku: Fingerprint(
            title=product.title,
            slug=product.slug,
            description=product.description,
            category_id=product.category_id,
            secondary_ids=tuple(sorted(secondary[product.pk])),
            brand_slug=product.brand.slug if product.brand else None,
            product_type_id=product.product_type_id,
            attributes=tuple(sorted(values[product.pk].items())),
            variants=tuple(
                VariantPlan(sku=sku, name=name, choice_ids=tuple(sorted(options[variant_id])))
                for variant_id, sku, name in variants[product.pk]
            ),
            status=product.status,
        )
        for product in products
    }


def _typed(text, number, boolean, choice_id) -> TypedValue:
    return TypedValue(
        text=text,
        number=number.normalize() if number is not None else None,
        boolean=boolean,
        choice_id=choice_id,
    )
