"""Kept pages answered early: before sessions, authentication, messages, URL resolution
and the view.

Most of a surge is newcomers and anonymous shoppers without a session,
asking for pages the gateway keeps whole (page_cache.py). For them, the
middleware after this one (sessions, CSRF, authentication, messages,
axes) and resolving the URL do nothing the kept page needs, yet cost a
served page about a quarter of its time. So this middleware, placed
after the ones whose work every answer carries (the security headers,
the content policy, the edge's checks, the language, the visitor's id),
answers such a request itself when this process has kept its page for a
newcomer (``page_cache.answerable``): the price segment, the copy and
its generations in one round trip, finished as the page's view finishes
it (``http_cache.finish_shareable``). Anything else, and any miss, goes on
down the stack as before, which composes the page and keeps it.

Which requests: a GET or HEAD whose every parameter a page reads, with no
``Authorization`` header and no cookie but the visitor's id, currency,
price segment and CSRF cookies: no session (so no cart, no sign-in, no
message waiting) and nothing else a page might read.

The API's product detail is kept whole for a client that keeps no cookies
(storefront/rest.py), and answered here too, finished as DRF and the view's
``gzip_page`` finish it: only for a client that sends no ``visitor_id``
(one the shop knows again is answered down the stack, which counts its
view), that accepts JSON as DRF's negotiation would pick it, and that the
``anon`` throttle lets through. The throttle's count is made in the round
trip that looks for the copy, exactly once: a refused read, or one with no
copy kept, goes down the stack with its count, which DRF's throttle uses
(for its 429) instead of counting again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

from kernel.currency import CURRENCY_COOKIE
from kernel.throttle import anonymous_read_allowed, anonymous_read_tally
from kernel.visitor import VISITOR_COOKIE
from pricing.dtos import Shopper
from storefront import http_cache, page_cache

#: Where the API's routes start; its answers are finished as DRF finishes them.
_API = "/api/"
#: ``Accept`` headers DRF's negotiation answers with JSON, the API's one renderer, as sent
#: by HTTP libraries and apps (none at all, or anything); any other goes down the stack.
_JSON_ACCEPTED = frozenset({None, "*/*", "application/json"})
#: What the API's kept reads are compressed with (``kernel.rest.compressed_reads``).
_GZIP = GZipMiddleware(lambda request: None)


def answer_kept_pages_middleware(get_response):
    """Answer a newcomer's request for a kept page here; pass anything else on."""

    def middleware(request: HttpRequest):
        answer = _kept_answer(request) if _answerable(request) else None
        return get_response(request) if answer is None else answer

    return middleware


def _answerable(request: HttpRequest) -> bool:
    own_cookies = {VISITOR_COOKIE, CURRENCY_COOKIE, http_cache.SEGMENT_COOKIE}
    return (
        page_cache.enabled()
        and page_cache.readable(request)
        and request.COOKIES.keys() <= own_cookies | {settings.CSRF_COOKIE_NAME}
        and request in page_cache.answerable
    )


def _kept_answer(request: HttpRequest) -> HttpResponse | None:
    try:
        request.get_host()
    except DisallowedHost:  # the stack answers it, as for every other request
        return None
    if request.path.startswith(_API) and not _unknown_json_client(request):
        return None
    shopper = Shopper(visitor_id=request.visitor_id)
    # An API read is counted by the ``anon`` throttle in the same round trip as the look.
    tally = anonymous_read_tally(request) if request.path.startswith(_API) else None
    kept = page_cache.newcomers_page(
        request, lambda: http_cache.price_segment_of(request, shopper), tally
    )
    if tally is not None and not anonymous_read_allowed(request, tally):
        return None  # DRF answers the 429 (the read counted once: see the throttle)
    if kept is None:
        return None  # composed down the stack (which looks again: a round trip more, on a miss)
    if kept.route.startswith(_API):
        return _api_answer(request, kept)
    request.answered_route = kept.route
    # A 304 may come back.
    response = http_cache.finish_shareable(
        request, kept.page, kept.segment, kept.etag, until=kept.until
    )
    return _measured(response)


def _unknown_json_client(request: HttpRequest) -> bool:
    """A client the shop does not know again, to whom DRF would answer JSON."""
    accepted = request.META.get("HTTP_ACCEPT") in _JSON_ACCEPTED
    return accepted and not request.visitor_returning


def _api_answer(request: HttpRequest, kept: page_cache.NewcomersPage) -> HttpResponse:
    """The API's kept answer to a client the shop does not know (the throttles let it
    through), finished as DRF and the view's ``gzip_page`` finish it."""
    request.answered_route = kept.route
    response = _GZIP.process_response(request, kept.page)
    return response if response.has_header("Content-Length") else _measured(response)


def _measured(response: HttpResponse) -> HttpResponse:
    response["Content-Length"] = str(len(response.content))  # as CommonMiddleware adds it
    return response
