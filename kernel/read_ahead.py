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

The session itself costs a round trip before any of that, so its readers'
names are also kept beside it (`caching.name_reads`, under a key made from
the session's), and `SessionMiddleware` reads them with the session, in its
round trip (`caching.read_with_named`): a signed-in page whose session
names what it named last time reads the session, the user and the cart's
count together. They are named again only when the readers name other
entries (a sign-in, a first cart); a name kept for a session that no
longer names it is only an entry read in vain (ADR 0029).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest

from kernel import caching

Reader = Callable[[HttpRequest], Iterable[tuple[str, str]]]

_readers: dict[str, Reader] = {}

#: A session key as Django makes one (``SessionBase._get_new_session_key``).
_SESSION_KEY = re.compile(r"[a-z0-9]{32}")


def register(name: str, reader: Reader) -> None:
    """``reader(request)`` names the (name, key) entries of `caching.cached` the request will
    read; ``name`` (the context's) makes registering again replace it."""
    _readers[name] = reader


def _names_key(session_key: str) -> str:
    # Hashed: the session's key is a secret, never spelt out in another key.
    return f"read-ahead:{hashlib.blake2b(session_key.encode(), digest_size=16).hexdigest()}"


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, whose session (``cached_db``, in the shop's cache) is read with the entries
    its readers named last time, in one round trip (the module's docstring)."""

    def process_request(self, request: HttpRequest) -> None:
        """A cookie no session key could be is read as no session: Django would look any
        value up in the cache and the database, and a key past 250 characters is a warning
        in the log on every request (an error on memcached). Django still tells the browser
        to forget the cookie, as it does one whose session has ended."""
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        request.session = self.SessionStore(key if key and _SESSION_KEY.fullmatch(key) else None)
        session = request.session
        request.read_ahead_named = None
        if not (
            _readers
            and session.session_key
            and isinstance(session, cached_db.SessionStore)
            and settings.SESSION_CACHE_ALIAS == "default"
        ):
            return
        data, request.read_ahead_named = caching.read_with_named(
            session.cache_key, _names_key(session.session_key)
        )
        if isinstance(data, dict):
            # As the store's own load() would have read it: the cache's copy of the session.
            session._session_cache = data


def read_ahead_middleware(get_response):
    def middleware(request: HttpRequest):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and _readers:
            entries = frozenset(entry for reader in _readers.values() for entry in reader(request))
            caching.read_ahead(entries)
            session_key = request.session.session_key
            if entries and session_key and entries != getattr(request, "read_ahead_named", None):
                ttl = max(1, request.session.get_expiry_age())
                caching.name_reads(_names_key(session_key), entries, ttl=ttl)
        return get_response(request)

    return middleware
