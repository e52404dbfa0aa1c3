"""Product codes searchable as typed: the vector reads the keywords' hyphens as spaces
(catalog/indexing.py, ``search_vector``); the vectors of products that exist already are
computed again here, as the write path now computes them."""

from django.db import migrations


def recompute_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE catalog_product SET search_vector ="
        " setweight(to_tsvector('english', coalesce(title, '')), 'A')"
        " || setweight(to_tsvector('english',"
        " coalesce(translate(search_keywords, '-', ' '), '')), 'B')"
        " || setweight(to_tsvector('english', coalesce(description, '')), 'C')"
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_search_vocabulary_parser_words")]

    operations = [migrations.RunPython(recompute_vectors, migrations.RunPython.noop)]
