"""Emptying a PostgreSQL test database after a transactional test: only the tables with rows.

Django ends every transactional test (``transaction=True``, the live
server, the concurrency proofs) with ``flush``: one ``TRUNCATE`` of every
table, about 90 here, and in split mode the same again in every context's
database. ``TRUNCATE`` gives each table, its indexes and its TOAST table
new files whether they held rows or not: about 1.5 s per test on a busy
2-core machine, while a test writes to a handful of tables.

``flush_only_tables_with_rows`` asks, in one query, which tables hold a
row and empties only those with ``DELETE`` (a few rows each; no new files),
all in the one transaction Django's flush runs them in, where PostgreSQL
checks the foreign keys (Django declares them ``DEFERRABLE INITIALLY
DEFERRED``) at commit, when every table is empty: so the order does not
matter, and every table ends empty as before. Measured on the same
database: 1.7-2.2 s per flush before, 0.3-0.75 s after, most of it now
``post_migrate`` re-creating the content types, permissions and shipping
methods, as it always did. Sequences are left alone, as Django's flush
leaves them unless a test asks for ``reset_sequences``; then the whole
flush runs as Django writes it.
"""

from __future__ import annotations

from django.core.management.commands import flush
from django.core.management.sql import sql_flush


def flush_only_tables_with_rows(style, connection, reset_sequences=True, allow_cascade=False):
    if connection.vendor != "postgresql" or reset_sequences:
        return sql_flush(style, connection, reset_sequences, allow_cascade)
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    if not tables:
        return []
    quote = connection.ops.quote_name
    probe = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(probe, tables)
        with_rows = [table for (table,) in cursor.fetchall()]
    return [f"DELETE FROM {quote(table)};" for table in with_rows]


def install() -> None:
    """Make ``manage.py flush`` (as Django's test cases call it) use the function above."""
    flush.sql_flush = flush_only_tables_with_rows
