"""What the products an upsert writes are shown and found by, made from their plans.

Every other write path rebuilds a product's document and search keywords
by reading its relations back (``documents.refresh``, ``indexing.reindex``).
An import writes a thousand products a batch and already holds everything
they are made of, so it builds the same ``documents.Relations`` from its
plans instead: reading each batch back twice was two thirds of an import's
time. The keywords go into the products' rows as they are written; the
documents, which list the variants' ids, are written after the variants,
together with the search vector, in one statement per batch.
"""

from __future__ import annotations

import json

from django.db.models.sql import UpdateQuery

from catalog import documents, indexing
from catalog.models import Brand, Product, ProductAttributeValue, ProductImage, ProductVariant
from catalog.upsert.validate import Known, ProductPlan, TypedValue
from kernel.databases import connection_of


def relations(
    plan: ProductPlan,
    known: Known,
    *,
    brand: Brand | None,
    variants: list[ProductVariant],
    images: list[ProductImage],
) -> documents.Relations:
    """``plan``'s relations as they will be stored: ``variants`` in its order, unsaved ones too.

    The attribute values are unsaved rows, written later with their product's id.
    """
    return documents.Relations(
        brand=brand,
        product_type=known.type_by_id.get(plan.product_type_id),
        attribute_values=[
            _attribute_value(attribute_id, value, known)
            for attribute_id, value in plan.attributes.items()
        ],
        variants=[
            documents.VariantOptions(
                variant=variant,
                options=tuple(known.choice_by_id[choice_id] for choice_id in planned.choice_ids),
            )
            for variant, planned in zip(variants, plan.variants, strict=True)
        ],
        images=images,
        secondary_categories=[known.tree.by_id[pk] for pk in plan.secondary_ids],
    )


_ATTRIBUTE = ProductAttributeValue._meta.get_field("attribute")
_CHOICE = ProductAttributeValue._meta.get_field("choice")


def _attribute_value(attribute_id: int, value: TypedValue, known: Known) -> ProductAttributeValue:
    """An unsaved attribute value with its attribute and choice loaded, as ``display`` needs.

    Given by id, the relations then put in its cache: assigned as objects,
    each asks the database router twice, which took most of building a
    batch's relations.
    """
    row = ProductAttributeValue(
        attribute_id=attribute_id,
        text=value.text,
        number=value.number,
        boolean=value.boolean,
        choice_id=value.choice_id,
    )
    _ATTRIBUTE.set_cached_value(row, known.attribute_by_id[attribute_id])
    _CHOICE.set_cached_value(row, known.choice_by_id.get(value.choice_id))
    return row


def store_documents(products: list[Product], relations_by_sku: dict[str, documents.Relations]):
    """Write each product's document (and, on PostgreSQL, its search vector) from its relations.

    Its variants must be written first: the document lists their ids.
    """
    stored = [
        documents.as_json(documents.build(relations_by_sku[product.sku])) for product in products
    ]
    connection = connection_of("catalog")
    if connection.vendor != "postgresql":
        for product, document in zip(products, stored, strict=True):
            product.document = document
        Product.objects.bulk_update(products, ["document"], batch_size=500)
        return
    # One UPDATE from one JSON text, where bulk_update builds a CASE of a branch per
    # product and arrays of documents are quoted element by element, in Python.
    query = UpdateQuery(Product)
    compiler = query.get_compiler(connection=connection)
    vector = indexing.search_vector().resolve_expression(query, allow_joins=False, for_save=True)
    vector_sql, vector_params = compiler.compile(vector)
    table = connection.ops.quote_name(Product._meta.db_table)
    given = [
        {"id": product.pk, "document": doc} for product, doc in zip(products, stored, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET document = given.document, search_vector = {vector_sql} "
            f"FROM jsonb_to_recordset(%s::jsonb) AS given(id bigint, document jsonb) "
            f"WHERE {table}.id = given.id",
            [*vector_params, json.dumps(given)],
        )
