"""Keeping what search matches up to date with the products.

Title and description are on the product itself; brand, categories,
attribute and option values live in other tables, so they are copied into
``search_keywords`` whenever a product is written. On PostgreSQL the
weighted ``search_vector`` (title A, keywords B, description C, English
stemming) is then recomputed by the database in one UPDATE; a GIN index on
it (migration 0003) makes matching fast.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector

from catalog import categories
from catalog.models import Product
from kernel.databases import connection_of

SEARCH_CONFIG = "english"
CHUNK = 2000


def search_vector() -> SearchVector:
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("search_keywords", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
    )


def keywords(product: Product, tree: categories.Tree) -> str:
    """Words a shopper may search for that are not in the title or description."""
    words = [product.sku]
    if product.brand:
        words.append(product.brand.name)
    if product.product_type:
        words.append(product.product_type.name)
    secondary = tuple(c.pk for c in product.secondary_categories.all())
    for category_id in (product.category_id, *secondary):
        words.extend(c.name for c in tree.ancestry(category_id))
    words.extend(value.display for value in product.attribute_values.all())
    for variant in product.variants.all():
        words.append(variant.sku)
        words.extend(choice.value for choice in variant.option_values.all())
    return " ".join(dict.fromkeys(word for word in words if word))


def reindex(*, product_ids: list[int]) -> None:
    tree = categories.load()
    for start in range(0, len(product_ids), CHUNK):
        chunk = product_ids[start : start + CHUNK]
        products = list(
            Product.objects.filter(pk__in=chunk)
            .select_related("brand", "product_type")
            .prefetch_related(
                "secondary_categories",
                "attribute_values__attribute",
                "attribute_values__choice",
                "variants__option_values",
            )
        )
        for product in products:
            product.search_keywords = keywords(product, tree)
        Product.objects.bulk_update(products, ["search_keywords"], batch_size=1000)
        if connection_of("catalog").vendor == "postgresql":
            Product.objects.filter(pk__in=chunk).update(search_vector=search_vector())
