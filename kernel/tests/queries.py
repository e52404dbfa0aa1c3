"""Capturing SQL over every database, as ``CaptureQueriesContext`` does over one.

``CaptureQueriesContext(connection)`` sees ``default`` only: with a database
per context (``make pytest-split``) a request's queries go to its contexts'
databases, and a count taken on ``default`` is near zero whatever the page
costs. ``captured_queries()`` captures on every connection; with one
database that is exactly ``default``'s capture.

    with captured_queries() as queries:
        client.get("/cart/")
    assert len(queries) <= budget
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager

from django.db import connections
from django.test.utils import CaptureQueriesContext


class QueriesOnEveryDatabase:
    """What ``CaptureQueriesContext`` captures, over every connection at once."""

    def __init__(self, only=None) -> None:
        chosen = [only] if only is not None else connections.all()
        self.captures = [CaptureQueriesContext(each) for each in chosen]

    @property
    def captured_queries(self) -> list[dict]:
        return [query for capture in self.captures for query in capture.captured_queries]

    def __len__(self) -> int:
        return len(self.captured_queries)


@contextmanager
def captured_queries(only=None):
    """Capture the queries of the block on every database (or on connection ``only``)."""
    captured = QueriesOnEveryDatabase(only=only)
    with ExitStack() as stack:
        for capture in captured.captures:
            stack.enter_context(capture)
        yield captured
