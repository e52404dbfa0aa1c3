"""Rows looked up by thousands of keys in one query, through the key's index, whatever the size.

``field__in=[...]`` with a thousand keys is a statement of a thousand
placeholders, which psycopg parses and quotes one by one in Python (about
as long as the database takes to answer), and past a few thousand keys
PostgreSQL's planner prefers scanning the whole table to probing its index
so often: a batch of an import got slower the larger the catalog. Here the
keys travel as one JSON parameter that the database expands itself
(``jsonb_array_elements_text``; SQLite's ``json_each``); not knowing how
many there are, the planner probes the index for each.
"""

from __future__ import annotations

import json

from django.core.exceptions import EmptyResultSet
from django.db.models.expressions import RawSQL

from kernel.databases import connection_of


class Among(RawSQL):
    """``keys`` (strings, or integer ids) for ``filter(field__in=Among(keys))``.

    No keys match nothing without asking the database, as ``__in=[]``.
    """

    def __init__(self, keys: list[str] | list[int]) -> None:
        self.empty = not keys
        if connection_of("catalog").vendor != "postgresql":
            super().__init__("SELECT value FROM json_each(%s)", [json.dumps(keys)])
            return
        cast = "bigint" if keys and isinstance(keys[0], int) else "text"
        super().__init__(f"SELECT jsonb_array_elements_text(%s::jsonb)::{cast}", [json.dumps(keys)])

    def as_sql(self, compiler, connection):
        if self.empty:
            raise EmptyResultSet
        return super().as_sql(compiler, connection)
