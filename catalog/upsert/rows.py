"""Inserting a batch's new rows of a table in one statement that PostgreSQL reads quickly.

Django's ``bulk_create`` on PostgreSQL sends each column as an array,
which psycopg quotes element by element in Python (a regular expression
per value), after preparing each value through its field: for an import's
batch that took longer than the database took to insert the rows. On
PostgreSQL the rows travel instead as one JSON text, encoded in C by the
``json`` module and turned back into rows by ``jsonb_to_recordset``;
elsewhere (SQLite) ``bulk_create`` does.

The new primary keys come back in the order of the rows given, as
``bulk_create``'s do on PostgreSQL (``RETURNING`` of an ``INSERT ...
SELECT``).
"""

from __future__ import annotations

import json

from django.db.models import Model

from kernel.databases import connection_of


def insert(model: type[Model], objs: list[Model]) -> None:
    """Insert ``objs`` (unsaved, of ``model``) and set their primary keys."""
    connection = connection_of("catalog")
    if connection.vendor != "postgresql" or not objs:
        model.objects.bulk_create(objs, batch_size=1000)
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    types = ", ".join(f"{quote(field.column)} {field.db_type(connection)}" for field in fields)
    rows = [
        {field.column: field.get_prep_value(field.pre_save(obj, add=True)) for field in fields}
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {columns} "
            f"FROM jsonb_to_recordset(%s::jsonb) AS given({types}) "
            f"RETURNING {quote(meta.pk.column)}",
            [json.dumps(rows, default=str)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
