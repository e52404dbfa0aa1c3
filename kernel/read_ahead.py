"""Reading ahead what a request with a session will read from the cache, in one round trip.

A signed-in shopper's page reads, each in its own round trip after the
session's: their user snapshot (accounts/signed_in.py) and their cart's
count (orders/cart/counts.py), and the kept page between them. Both are
named by the session alone, so each context registers a *reader* (here,
from its ``AppConfig.ready``) that names the `kernel.caching.cached`
entries it will read for a request, and this middleware reads them all at
once (`kernel.caching.read_ahead`) before the view runs; each context's own
read then finds its entry in the request's memo.

Only a request that carries a session cookie is read ahead (a newcomer has
nothing to name), after the session and authentication middleware, so a
reader sees the session. A reader names entries; it decides nothing: an
entry it names wrongly, or that is stale, is only read again by its own
code, as without this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest

from kernel import caching

Reader = Callable[[HttpRequest], Iterable[tuple[str, str]]]

_readers: dict[str, Reader] = {}


def register(name: str, reader: Reader) -> None:
    """``reader(request)`` names the (name, key) entries of `caching.cached` the request will
    read; ``name`` (the context's) makes registering again replace it."""
    _readers[name] = reader


def read_ahead_middleware(get_response):
    def middleware(request: HttpRequest):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and _readers:
            caching.read_ahead(entry for reader in _readers.values() for entry in reader(request))
        return get_response(request)

    return middleware
