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
from django.db.models import F, Func, TextField, Value

from catalog import categories, documents
from catalog.models import Product
from kernel.databases import connection_of

SEARCH_CONFIG = "english"
CHUNK = 2000


def search_vector() -> SearchVector:
    """The weighted vector. The keywords are read with their hyphens as spaces: PostgreSQL's
    parser reads "KI-0024" as "ki" and "-0024" (a negative number), which the words a
    shopper types ("ki", "0024") never match; "KI 0024" is "ki" and "0024"."""
    keywords = Func(
        F("search_keywords"), Value("-"), Value(" "), function="translate", output_field=TextField()
    )
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector(keywords, weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
    )


def keywords(product: Product, relations: documents.Relations, tree: categories.Tree) -> str:
    """Words a shopper may search for that are not in the title or description.

    Made of the same relations as the product's document (``documents.Relations``),
    in the same order, however they were obtained.
    """
    words = [product.sku]
    if relations.brand:
        words.append(relations.brand.name)
    if relations.product_type:
        words.append(relations.product_type.name)
    secondary = tuple(c.pk for c in relations.secondary_categories)
    for category_id in (product.category_id, *secondary):
        words.extend(c.name for c in tree.ancestry(category_id))
    words.extend(value.display for value in relations.attribute_values)
    for item in relations.variants:
        words.append(item.variant.sku)
        words.extend(choice.value for choice in item.options)
    return " ".join(dict.fromkeys(word for word in words if word))


def reindex(*, product_ids: list[int]) -> None:
    tree = categories.load()
    for start in range(0, len(product_ids), CHUNK):
        chunk = product_ids[start : start + CHUNK]
        products = list(documents.relations_loaded(Product.objects.filter(pk__in=chunk)))
        for product in products:
            product.search_keywords = keywords(product, documents.read(product), tree)
        Product.objects.bulk_update(products, ["search_keywords"], batch_size=1000)
        if connection_of("catalog").vendor == "postgresql":
            Product.objects.filter(pk__in=chunk).update(search_vector=search_vector())
