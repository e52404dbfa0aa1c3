"""Inserting rows unless their unique key is taken, in one statement."""

from collections.abc import Sequence

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
    return bool(insert_untaken(rows=[row], using=using, unique=unique))


def insert_untaken(*, rows: Sequence[Model], using: str, unique: tuple[str, ...]) -> list[Model]:
    """Insert those of ``rows`` whose ``unique`` fields are not taken; return them, saved.

    ``insert_unless_taken`` for many rows of one model in one statement (the
    inbox rows of a batch of deliveries): the rows ``RETURNING`` names are
    the inserted ones, matched back by their unique key, so the caller knows
    which are new. Keep ``rows`` to a few hundred: one statement holds
    every value as a parameter.
    """
    return _insert(rows, using=using, unique=unique, on_conflict="DO NOTHING")


def upsert_newer(
    *,
    rows: Sequence[Model],
    using: str,
    unique: tuple[str, ...],
    version: str,
    fields: tuple[str, ...] = (),
) -> list[Model]:
    """Insert ``rows``, or, where a row with the same ``unique`` fields exists,
    overwrite its ``fields`` (default: all others) if its ``version`` field is
    unset or older; return the rows written either way.

    One statement, ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` (PostgreSQL
    and SQLite alike), for a projection fed by events that may arrive late
    or twice: the newest ``version`` (a ``changed_at``) wins, for a whole
    batch of events at once. Rows repeating a key are reduced to the newest
    first (one statement may not update a row twice), and go in key order,
    so two batches lock the rows they share in the same order.
    """
    if not rows:
        return []
    newest: dict[tuple, Model] = {}
    for row in rows:
        key = tuple(getattr(row, name) for name in unique)
        if key not in newest or getattr(newest[key], version) < getattr(row, version):
            newest[key] = row
    meta = rows[0]._meta
    quote = connections[using].ops.quote_name
    overwritten = [
        f for f in _written(meta) if (f.name in fields if fields else f.name not in unique)
    ]
    table, column = quote(meta.db_table), quote(meta.get_field(version).column)
    sets = ", ".join(f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in overwritten)
    return _insert(
        [newest[key] for key in sorted(newest)],
        using=using,
        unique=unique,
        on_conflict=(
            f"DO UPDATE SET {sets} "
            f"WHERE {table}.{column} IS NULL OR {table}.{column} < EXCLUDED.{column}"
        ),
    )


def _insert(
    rows: Sequence[Model], *, using: str, unique: tuple[str, ...], on_conflict: str
) -> list[Model]:
    """``INSERT`` ``rows`` in one statement, ``ON CONFLICT (unique) <on_conflict>``;
    return the rows ``RETURNING`` names (matched back by their unique key), saved."""
    if not rows:
        return []
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = rows[0]._meta
    fields = _written(meta)
    keys = [meta.get_field(name) for name in unique]
    one_row = f"({', '.join(['%s'] * len(fields))})"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([one_row] * len(rows))} "
        f"ON CONFLICT ({', '.join(quote(key.column) for key in keys)}) {on_conflict} "
        f"RETURNING {', '.join(quote(c.column) for c in [meta.pk, *keys])}"
    )
    values = [
        f.get_db_prep_save(f.pre_save(row, add=True), connection) for row in rows for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        written = {tuple(_key(keys, found[1:])): found[0] for found in cursor.fetchall()}
    saved = []
    for row in rows:
        pk = written.pop(tuple(_key(keys, [getattr(row, key.attname) for key in keys])), None)
        if pk is not None:  # popped: a key given twice is written once
            row.pk = pk
            row._state.adding, row._state.db = False, using
            saved.append(row)
    return saved


def _written(meta) -> list:
    """The columns an insert writes: all but an auto-incremented primary key."""
    return [field for field in meta.concrete_fields if field is not meta.auto_field]


def _key(fields, values) -> list:
    """Values of a unique key as Python compares them (a UUID is text in SQLite)."""
    return [field.to_python(value) for field, value in zip(fields, values, strict=True)]
