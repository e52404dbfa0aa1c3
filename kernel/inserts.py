"""Inserting a row unless its unique key is taken, in one statement."""

from django.db import connections
from django.db.models import Model


def insert_unless_taken(row: Model, *, using: str, unique: tuple[str, ...]) -> bool:
    """Insert ``row`` into database ``using``; False (and nothing written) if a row
    with the same ``unique`` fields exists.

    One statement, ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL
    and SQLite alike): a taken key is no error, so no savepoint is needed to
    survive it, where ``get_or_create`` or an ``INSERT`` catching
    ``IntegrityError`` cost a read or a savepoint and its release more.
    Django's ``bulk_create(ignore_conflicts=True)`` cannot say whether it
    inserted. Concurrent inserts of one key meet at the unique constraint: the
    second waits for the first transaction and inserts nothing if it commits.
    On success ``row`` has its primary key and is saved, as after ``save()``.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = row._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({', '.join(quote(meta.get_field(name).column) for name in unique)}) "
        f"DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    values = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    row.pk = inserted[0]
    row._state.adding, row._state.db = False, using
    return True
