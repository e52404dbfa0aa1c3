"""Dependencies stopped for real, for the tests of what the shop does without them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections


@contextmanager
def stopped_database(alias: str) -> Iterator[None]:
    """``alias`` pointed at a database server that is not there, as if it had stopped."""
    running = connections[alias]
    gone = {**running.settings_dict}
    if running.vendor == "sqlite":
        gone["NAME"] = "/no-such-directory/commerce.sqlite3"
    else:
        gone.update(HOST="127.0.0.1", PORT="1")  # nothing listens: refused at once
    connections[alias] = type(running)(gone, alias)
    try:
        yield
    finally:
        connections[alias].close()
        connections[alias] = running
