"""PostgreSQL search: pg_trgm, a GIN index on the weighted search vector and a
trigram GIN index on titles. All no-ops on SQLite, whose fallback search
needs neither (see catalog/search.py)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("catalog_product_search_vector_gin", "USING gin (search_vector)"),
    ("catalog_product_title_trgm_gin", "USING gin (title gin_trgm_ops)"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, method in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON catalog_product {method}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def reindex_products(apps, schema_editor):
    """Fill search_vector for products that exist already (new ones are indexed on write)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE catalog_product SET search_vector ="
        " setweight(to_tsvector('english', coalesce(title, '')), 'A')"
        " || setweight(to_tsvector('english', coalesce(search_keywords, '')), 'B')"
        " || setweight(to_tsvector('english', coalesce(description, '')), 'C')"
    )


class TrigramExtensionOnPostgres(TrigramExtension):
    """Django's operation skips other databases going forwards but not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_existing_products_published_with_variant")]

    operations = [
        TrigramExtensionOnPostgres(),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(reindex_products, migrations.RunPython.noop),
    ]
