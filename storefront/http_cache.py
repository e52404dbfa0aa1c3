"""HTTP caching of storefront pages: ETag, conditional GET, and who may share a copy.

Every page gets an ``ETag`` (a hash of its body) and answers a matching
``If-None-Match`` with 304, so a browser revalidates cheaply. Whether an
HTTP cache in front (Varnish, a CDN; docs/performance.md) may serve one
shopper's copy to another depends on prices, which differ by *price
segment* (currency, price-list groups, experiment arm). Pricing says which
segment a shopper is in (``pricing.api.price_segment``); the gateway only
passes it on, in the ``price_segment`` cookie and the ``X-Price-Segment``
header, and the front cache keys its copies by that cookie.

A page is shareable (``Cache-Control: public, s-maxage``) only when the
shopper is anonymous without a session (a session's header shows its
cart), the request already carried the segment the page
was priced for, the response sets no cookie and the page holds no form
with a CSRF token (a token is valid only with its own shopper's cookie;
the product page's buy box and the currency switcher carry none, their
posts are checked by origin: kernel/csrf.py); otherwise it is
``private``. Before any of that, the page may come from the gateway's own
page cache (page_cache.py), under the same segment, for a signed-in
shopper too (with their own header; their page stays ``private``).
Browsers always revalidate (``max-age=0``). The shared copy lives
``SHARED_MAX_AGE_SECONDS`` at most; the storefront bans it from the
cache in front as soon as an event says something it shows changed (its
``X-Cache-Tags``: cache_tags.py; ADR 0019). A private page loses its tags.
"""

from __future__ import annotations

import functools
import math
import time

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control

from kernel import csrf
from kernel.currency import currency_of
from kernel.remote.client import ServiceUnavailable
from pricing import api as pricing_api
from pricing.dtos import Shopper
from storefront import cache_tags, page_cache
from storefront.shopper import shopper_of

SEGMENT_COOKIE = "price_segment"
SHARED_MAX_AGE_SECONDS = 60


def _private(response, **directives):
    """Keep ``response`` out of shared caches; its tags serve no cache then."""
    patch_cache_control(response, private=True, **directives)
    response.headers.pop(cache_tags.HEADER, None)
    return response


def price_segment_of(request, shopper: Shopper) -> str | None:
    """The shopper's price segment, as pricing names it; None when pricing, out of process,
    is down (nothing to key a shared copy by)."""
    try:
        return pricing_api.price_segment(shopper=shopper, currency=currency_of(request))
    except ServiceUnavailable:  # logged and counted by the client
        return None


def cacheable_page(view):
    """Decorate a GET storefront view: ETag and 304, Cache-Control, the price segment,
    and the gateway's page cache (page_cache.py)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        response, segment, until = page_cache.served(
            request,
            lambda: price_segment_of(request, shopper_of(request)),
            lambda: view(request, *args, **kwargs),
            early=True,
        )
        if segment is None:  # the page shows no prices ("Price unavailable"), and a copy
            # of it must not be shared for a minute.
            return _finish_private(response)
        if page_cache.personal(request):  # signed in, or a session: their header, their cart
            return _finish_private(response)
        if response.status_code != 200:
            return response
        return finish_shareable(request, response, segment, until=until)

    return wrapped


def finish_shareable(
    request, response, segment: str, etag: str | None = None, *, until: float | None = None
):
    """An anonymous shopper's page priced for ``segment``: the segment's header and cookie,
    the ETag (a 304 when it matches; ``etag`` when the page's is known), and who may keep
    a copy, for at most ``SHARED_MAX_AGE_SECONDS`` and not past ``until`` (a Unix time:
    when a price it shows may change with no event to ban it, page_cache.Served)."""
    response["X-Price-Segment"] = segment
    if request.COOKIES.get(SEGMENT_COOKIE) != segment:
        response.set_cookie(
            SEGMENT_COOKIE,
            segment,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    etag = etag or page_cache.etag_of(response.content)
    response["ETag"] = etag
    if response.cookies or csrf.holds_token(response.content):
        _private(response, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, public=True, max_age=0, s_maxage=_shared_for(until))
    return get_conditional_response(request, etag=etag, response=response)


def _shared_for(until: float | None) -> int:
    if until is None:
        return SHARED_MAX_AGE_SECONDS
    return max(0, min(SHARED_MAX_AGE_SECONDS, math.floor(until - time.time())))


def _finish_private(response):
    """A page only this shopper may see (signed in, or priced without pricing)."""
    if response.status_code == 200:
        _private(response, no_cache=True)
    return response
