"""The gateway's own page cache: a whole page, per price segment, in the shared cache.

A surge is thousands of shoppers asking for the same few pages. Composing
one costs the contexts' reads, however well they cache, and a template's
rendering; serving a stored copy costs one round trip to the cache (the
copy, its generations checked in the server: ``kernel.caching.kept``) after
pricing names the segment. So a
storefront page (http_cache.cacheable_page) is kept here under its URL, its
host and the shopper's *price segment*, which pricing names
(``pricing.api.price_segment``): two shoppers share a copy only when pricing
says they see the same prices. The segment is asked of pricing on every
request, never taken from the ``price_segment`` cookie a client could
rewrite, so a first visit without cookies is served a copy too.

**Only the header is a shopper's own.** Sign-in or account links, the
cart's count and the staff link sit between two markers
(``templates/partials/personal_header.html``); everything else on a page
is the same for every shopper of its segment (the product page's buy box,
the currency switcher and the reviews' vote and report forms post without
a CSRF token, checked by origin: kernel/csrf.py). A copy keeps the page
around the header; a signed-in shopper, or one with a session (a cart), is
served it with their header put into it (personal_header.py: rendered
once for everyone it looks the same for), so a surge of signed-in
shoppers is served like anonymous ones. A newcomer's header is kept with
the copy.

**Never stale after a change commits.** A copy remembers the generation
of every cached read that composed it (``kernel.caching.observing``: the
catalog's product documents and listings, pricing's price book,
promotions and experiments, inventory's availability per SKU, reviews'
pages of a product's reviews, the gateway's rating summary). Each context
forgets its generations where it commits a change, so the next request
finds a token changed (``kernel.caching.kept`` serves a copy only while
none has) and composes the page afresh. What no context caches (the
recommendation rows, the best sellers) is at most
``STOREFRONT_PAGE_CACHE_SECONDS`` old.

What is never kept: a page rendered while an optional context fell back
(a section is missing: ``kernel.isolation.noting_fallbacks``), one with a
CSRF token outside the header (a form only its own shopper may post), one
that sets a cookie of its own. Never served a copy: a request with a flash
message waiting (the page shows it), with an ``Authorization`` header, or
for a URL with a query parameter no page reads (a campaign's ``utm_*``, a
click id, a cache-buster): random parameters cannot fill the cache, at the
price of composing such a page every time.

A page without the header's markers (the API's product detail, for a
client the shop does not know again) is kept whole.

With pricing in its own process (``PRICING_SERVICE_URL``) its generations
live in its own process's cache, out of sight: the page cache is off then.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from kernel import caching, csrf, isolation
from pricing import api as pricing_api
from storefront import personal_header

#: Metric label (``commerce_cache_lookup_total{cache="storefront:page"}``).
NAME = "storefront:page"
#: In every key: a copy stored by a release that kept copies another way is not read.
_FORMAT = 6
#: Headers of the page itself (an API's answer names the methods it ``Allow``s); what the
#: middleware adds on the way out is added to a copy too.
_KEPT_HEADERS = ("Content-Type", "X-Cache-Tags", "Allow")
#: The query parameters storefront pages read: the listings' (catalog/params.py, with
#: ``attr_<code>`` filters) and the product page's variant and reviews' sort, stars and page.
_READ_PARAMETERS = frozenset(
    {"q", "category", "brand", "price", "in_stock", "rating", "sort", "page", "per_page"}
    | {"variant", "sku", "stars"}
)
_READ_PREFIX = "attr_"
#: The header's part that is each shopper's own, rendered between these markers (in the
#: template) for each shopper a copy answers; a page without them is every shopper's whole.
_HEADER_START, _HEADER_END = b"<!--personal-header-->", b"<!--/personal-header-->"


def enabled() -> bool:
    return settings.STOREFRONT_PAGE_CACHE_SECONDS > 0 and not settings.PRICING_SERVICE_URL


def readable(request: HttpRequest) -> bool:
    """Whether ``request`` is a read of a URL whose every parameter a page reads."""
    return (
        request.method in ("GET", "HEAD")
        and "HTTP_AUTHORIZATION" not in request.META  # not ``headers``: it copies them all
        and all(name in _READ_PARAMETERS or name.startswith(_READ_PREFIX) for name in request.GET)
    )


def may_share(request: HttpRequest) -> bool:
    """Whether ``request`` may be answered with a page kept for its segment: a read of a URL
    whose every parameter a page reads, by a shopper with no flash message waiting."""
    return readable(request) and not len(messages.get_messages(request))  # counted, not consumed


def personal(request: HttpRequest) -> bool:
    """Whether the header is this shopper's own: signed in, or a session (a cart)."""
    return request.user.is_authenticated or settings.SESSION_COOKIE_NAME in request.COOKIES


def _key(request: HttpRequest, segment: str) -> str:
    page = f"{segment}|{request.get_host()}|{request.get_full_path()}"
    return f"{NAME}:{_FORMAT}:{hashlib.blake2b(page.encode(), digest_size=20).hexdigest()}"


class _Answerable:
    """The pages this process has kept whole for a newcomer, {(host, path): None}, the most
    recent ``SIZE``: early_answers.py looks only for these, so a request for anything else
    (an API call, a page never kept) costs it no round trip."""

    SIZE = 4096

    def __init__(self) -> None:
        self._pages: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _page(request: HttpRequest) -> tuple[str, str]:
        return request.META.get("HTTP_HOST", ""), request.get_full_path()

    def add(self, request: HttpRequest) -> None:
        with self._lock:
            self._pages[self._page(request)] = None
            self._pages.move_to_end(self._page(request))
            while len(self._pages) > self.SIZE:
                self._pages.popitem(last=False)

    def __contains__(self, request: HttpRequest) -> bool:
        return self._page(request) in self._pages

    def clear(self) -> None:
        """Forget them all (a test starting from an empty cache)."""
        with self._lock:
            self._pages.clear()


answerable = _Answerable()


@dataclass(frozen=True)
class Found:
    """The shopper's price segment (None: pricing could not name it) and the copy kept for
    it (None: none, or a stale one)."""

    segment: str | None
    copy: dict | None
    held: caching.Held


def found(
    request: HttpRequest,
    segment_of: Callable[[], str | None],
    tally: caching.Tally | None = None,
) -> Found:
    """The segment and its copy. Pricing names the segment from what this process holds of
    its reads (``kernel.caching.holding``: no round trip), checked with the copy in one round
    trip; named again from the cache when what it held was stale. ``tally`` is counted in
    the first round trip (`kernel.caching.kept`)."""
    held = caching.Held()
    with caching.holding(held):
        segment = segment_of()
    stored = caching.kept(_key(request, segment), held, tally) if segment else None
    if held.stale:
        held = caching.Held()
        with caching.holding(held):
            segment = segment_of()
        stored = caching.kept(_key(request, segment), held) if segment else None
    return Found(segment, stored if isinstance(stored, dict) else None, held)


class NewcomersPage(NamedTuple):
    """A page kept for a newcomer: the page, its segment, its route (for the metrics), its
    ``ETag``, hashed once when it was kept, and until when it may be served (`Served`)."""

    page: HttpResponse
    segment: str
    route: str
    etag: str
    until: float | None


class Served(NamedTuple):
    """A page for the shopper's segment (None: pricing could not name it), and until when
    (a Unix time; None: no end ahead) a copy of it may be served, whoever keeps it: when a
    price it shows may change with no event (`_lifetime`)."""

    page: HttpResponse
    segment: str | None
    until: float | None


def newcomers_page(
    request: HttpRequest,
    segment_of: Callable[[], str | None],
    tally: caching.Tally | None = None,
) -> NewcomersPage | None:
    """The copy kept for the segment, if one was kept for a newcomer by a page that may be
    answered early; else None. ``tally``: counted on the way (`found`)."""
    lookup = found(request, segment_of, tally)
    copy = lookup.copy
    if lookup.segment is None or copy is None or not copy.get("route"):
        return None
    caching.count_lookups(NAME, hits=1)
    content = copy["head"] + (copy["header"] or b"") + copy["tail"]
    page = HttpResponse(content, headers=copy["headers"])
    return NewcomersPage(page, lookup.segment, copy["route"], copy["etag"], copy["until"])


def etag_of(content: bytes) -> str:
    """A page's ``ETag``: a hash of it as every render of it reads, CSRF tokens left out."""
    digest = hashlib.blake2b(csrf.without_tokens(content), digest_size=16).hexdigest()
    return f'"{digest}"'


def served(
    request: HttpRequest,
    segment_of: Callable[[], str | None],
    render: Callable[[], HttpResponse],
    *,
    early: bool = False,
) -> Served:
    """The page for the shopper's price segment, the segment (``segment_of()``, None when
    pricing cannot name it: then the page is ``render()``ed, never kept), and until when
    a copy may be served.

    The stored copy for the segment with this shopper's header, or ``render()``, stored
    when shareable. With ``early``, a copy whose header every newcomer sees may be
    answered before the rest of the middleware runs (early_answers.py).
    """
    if not (enabled() and may_share(request)):
        segment = segment_of()
        return Served(render(), segment, None)
    mark = caching.failure_mark()
    lookup = found(request, segment_of)
    if lookup.segment is None:
        return Served(render(), None, None)
    if lookup.copy is not None:
        caching.count_lookups(NAME, hits=1)
        if lookup.copy.get("route"):
            answerable.add(request)
        content = _filled(request, lookup.copy)
        page = HttpResponse(content, headers=lookup.copy["headers"])
        return Served(page, lookup.segment, lookup.copy["until"])
    caching.count_lookups(NAME, misses=1, since=mark)
    with caching.observing() as generations, isolation.noting_fallbacks() as fallbacks:
        response = render()
    ttl, until = _lifetime(lookup.segment)
    parts = _shared_parts(response)
    # A copy is kept under the segment's generations too: one that changed while the page
    # was composed leaves it under a key it may no longer belong to, never to be served.
    held = lookup.held
    changed = any(generations.get(name, token) != token for name, token in held.items())
    if parts is not None and not fallbacks and not changed and ttl > 0:
        head, header, tail = parts
        # Every anonymous shopper without a session sees the same header: kept with the page,
        # whoever composed it, so a newcomer's copy never waits for a newcomer to compose it.
        newcomers = _newcomers_header() if personal(request) and header else header
        # A newcomer's page, or one without a header (an API's answer), may be answered early.
        early = early and (newcomers is not None or header is None)
        copy = {
            "head": head,
            "tail": tail,
            "personal": header is not None,
            "header": newcomers,
            "headers": {name: response[name] for name in _KEPT_HEADERS if name in response},
            # The route, for the metrics of an early answer; only on a copy it may answer.
            "route": f"/{request.resolver_match.route}" if early else None,
        }
        copy["etag"] = etag_of(head + (newcomers or b"") + tail) if early else None
        copy["until"] = until
        caching.keep(_key(request, lookup.segment), copy, {**held, **generations}, ttl)
        if copy["route"]:
            answerable.add(request)
    return Served(response, lookup.segment, until)


def _lifetime(segment: str) -> tuple[int, float | None]:
    """How many seconds a page composed now for ``segment`` may be kept, and when (a Unix
    time; None: no such moment ahead) a price it shows may change with no commit, so with
    no generation forgotten: a promotion, or a price list of the segment's groups, starting
    or ending on time (``pricing.api.prices_hold_until``).
    ``STOREFRONT_PAGE_CACHE_SECONDS``, cut there. Pricing's promotions were read to
    compose the page: asking costs no round trip (a group's list windows, one)."""
    seconds = settings.STOREFRONT_PAGE_CACHE_SECONDS
    edge = pricing_api.prices_hold_until(segment=segment)
    if edge is None:
        return seconds, None
    until = edge.timestamp()
    return min(seconds, math.floor(until - time.time())), until  # under a second: not kept


def _newcomers_header() -> bytes | None:
    """The header a newcomer's page would hold, with its markers, for a copy composed for a
    shopper of their own (signed in, or with a cart). Otherwise the copy would reach every
    newcomer down the stack, with their header rendered apart, until it expired (a minute)."""
    header = personal_header.for_newcomers()
    return None if header is None else _split(header.encode())[1]


def _filled(request: HttpRequest, stored: dict) -> bytes:
    """A kept page's content with ``request``'s shopper's own header."""
    header = stored["header"]
    if stored["personal"] and (header is None or personal(request)):
        header = _split(personal_header.rendered(request).encode())[1]
    return stored["head"] + (header or b"") + stored["tail"]


def _shared_parts(response: HttpResponse) -> tuple[bytes, bytes | None, bytes] | None:
    """The page before its personal header, the header (None: the page has none, an API's
    answer) and after it; None when the page is not every shopper's of its segment (an error,
    a stream, a cookie, or a CSRF token outside the header)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    head, header, tail = _split(response.content)
    if header == b"" or csrf.holds_token(head + tail):
        return None
    return head, header, tail


def _split(content: bytes) -> tuple[bytes, bytes | None, bytes]:
    """``content`` before the personal header, the header with its markers, and after it.

    The header is None when there is none, and empty when it is not closed.
    """
    head, start, rest = content.partition(_HEADER_START)
    if not start:
        return content, None, b""
    header, end, tail = rest.partition(_HEADER_END)
    return head, (start + header + end) if end else b"", tail
