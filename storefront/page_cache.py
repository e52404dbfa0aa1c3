"""The gateway's own page cache: a whole anonymous page, per price segment, in the shared cache.

A surge is thousands of anonymous shoppers asking for the same few pages.
Composing one costs the contexts' reads, however well they cache, and a
template's rendering; serving a stored copy costs two round trips to the
cache (the copy, then its generations) after pricing names the segment.
So an anonymous storefront page (http_cache.cacheable_page) is kept here
under its URL, its host and the shopper's *price segment*, which pricing
names (``pricing.api.price_segment``): two shoppers share a copy only
when pricing says they see the same prices. The segment is asked of
pricing on every request, never taken from the ``price_segment`` cookie a
client could rewrite, so a first visit without cookies is served a copy too.

**Never stale after a change commits.** A copy remembers the generation
of every cached read that composed it (``kernel.caching.observing``: the
catalog's product documents and listings, pricing's price book,
promotions and experiments, inventory's availability per SKU, the
gateway's rating summary). Each context forgets its generations where it
commits a change, so the next request finds a token changed
(``kernel.caching.unchanged``, one round trip) and composes the page
afresh. What no context caches (the reviews below the rating, the
recommendation rows, the best sellers) is at most ``STOREFRONT_PAGE_CACHE_SECONDS``
old.

What is never kept: a page rendered while an optional context fell back
(a section is missing: ``kernel.isolation.noting_fallbacks``), one with a
CSRF token (a form only its own shopper may post), one that sets a cookie
of its own, any request with a session, a flash message or an
``Authorization`` header (a signed-in shopper or one with a cart sees their
own), and a URL with a query parameter no page reads (a campaign's
``utm_*``, a click id, a cache-buster): random parameters cannot fill the
cache, at the price of composing such a page every time.

With pricing in its own process (``PRICING_SERVICE_URL``) its generations
live in its own process's cache, out of sight: the page cache is off then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from kernel import caching, csrf, isolation

#: Metric label (``commerce_cache_lookup_total{cache="storefront:page"}``).
NAME = "storefront:page"
#: Headers of the page itself; what the middleware adds on the way out is added to a copy too.
_KEPT_HEADERS = ("Content-Type", "X-Cache-Tags")
#: The query parameters storefront pages read: the listings' (catalog/params.py, with
#: ``attr_<code>`` filters) and the product page's variant and reviews' sort, stars and page.
_READ_PARAMETERS = frozenset(
    {"q", "category", "brand", "price", "in_stock", "rating", "sort", "page", "per_page"}
    | {"variant", "sku", "stars"}
)
_READ_PREFIX = "attr_"


def enabled() -> bool:
    return settings.STOREFRONT_PAGE_CACHE_SECONDS > 0 and not settings.PRICING_SERVICE_URL


def may_share(request: HttpRequest) -> bool:
    """Whether ``request`` is one an anonymous shopper without a page of their own makes,
    for a URL whose every parameter a page reads."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and "Authorization" not in request.headers
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and all(name in _READ_PARAMETERS or name.startswith(_READ_PREFIX) for name in request.GET)
    )


def _key(request: HttpRequest, segment: str) -> str:
    page = f"{segment}|{request.get_host()}|{request.get_full_path()}"
    return f"{NAME}:{hashlib.blake2b(page.encode(), digest_size=20).hexdigest()}"


def served(request: HttpRequest, segment: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The stored copy of the page for ``segment``, or ``render()``, stored when shareable."""
    if not (enabled() and may_share(request)):
        return render()
    key = _key(request, segment)
    mark = caching.failure_mark()
    # Kept as plain builtins, so a copy stored by an older release still reads.
    stored = cache.get(key)
    if isinstance(stored, dict) and caching.unchanged(stored["generations"]):
        caching.count_lookups(NAME, hits=1)
        return HttpResponse(stored["content"], headers=stored["headers"])
    caching.count_lookups(NAME, misses=1, since=mark)
    with caching.observing() as generations, isolation.noting_fallbacks() as fallbacks:
        response = render()
    if _keepable(response) and not fallbacks:
        copy = {
            "content": response.content,
            "headers": {name: response[name] for name in _KEPT_HEADERS if name in response},
            "generations": generations,
        }
        cache.set(key, copy, settings.STOREFRONT_PAGE_CACHE_SECONDS)
    return response


def _keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not csrf.holds_token(response.content)
    )
