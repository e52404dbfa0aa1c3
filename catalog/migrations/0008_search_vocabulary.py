"""PostgreSQL search: typos are corrected against the catalogue's vocabulary.

``catalog_searchword`` holds every word (three letters or more, lower-cased)
of the products' titles, with a trigram GIN index: a misspelt word is
replaced by its closest title word there (catalog/search.py), then matched
through the full-text index like any word. The table is kept by the
database itself, so every way of writing products keeps it: a statement
trigger adds the words of inserted products in one set-based insert (an
import pays one pass over its titles), a row trigger the words of a title
that changed. It only grows: a word no product has any more may still be
offered as a correction, which then finds nothing, as the typo would have.

The trigram index on the products' titles, which the typo path read before
(every title that looked like the typo, thousands at 100,000 products), is
dropped. All no-ops on SQLite, whose fallback corrects against the titles
with difflib.
"""

from django.db import migrations

WORDS = r"""
    SELECT DISTINCT word
    FROM {source}, regexp_split_to_table(lower(title), '\W+') AS word
    WHERE length(word) >= 3
"""

FORWARDS = [
    "CREATE TABLE catalog_searchword (word text PRIMARY KEY)",
    "CREATE INDEX catalog_searchword_trgm_gin ON catalog_searchword USING gin (word gin_trgm_ops)",
    f"""
    CREATE FUNCTION catalog_searchword_of_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO catalog_searchword (word) {WORDS.format(source="inserted")}
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER catalog_searchword_on_insert AFTER INSERT ON catalog_product
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_searchword_of_inserted()
    """,
    f"""
    CREATE FUNCTION catalog_searchword_of_retitled() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO catalog_searchword (word)
        {WORDS.format(source="(SELECT NEW.title) AS retitled (title)")}
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER catalog_searchword_on_retitle AFTER UPDATE OF title ON catalog_product
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION catalog_searchword_of_retitled()
    """,
    f"INSERT INTO catalog_searchword (word) {WORDS.format(source='catalog_product')}",
    "DROP INDEX IF EXISTS catalog_product_title_trgm_gin",
]

BACKWARDS = [
    "CREATE INDEX IF NOT EXISTS catalog_product_title_trgm_gin"
    " ON catalog_product USING gin (title gin_trgm_ops)",
    "DROP TRIGGER IF EXISTS catalog_searchword_on_retitle ON catalog_product",
    "DROP FUNCTION IF EXISTS catalog_searchword_of_retitled()",
    "DROP TRIGGER IF EXISTS catalog_searchword_on_insert ON catalog_product",
    "DROP FUNCTION IF EXISTS catalog_searchword_of_inserted()",
    "DROP TABLE IF EXISTS catalog_searchword",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARDS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_product_document")]

    operations = [migrations.RunPython(forwards, backwards)]
