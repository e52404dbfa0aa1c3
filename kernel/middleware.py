"""Every request: a request id, and its count, latency and SQL in the metrics.

First in ``MIDDLEWARE`` after the probes, so its clock covers all the other
middleware and its id is on every log line they write, and on redirects
and errors too. Requests are labelled by the route pattern that answered
(``/products/<slug:slug>/``), never the raw path: a path is input, and a
label per distinct path would let anyone grow the metrics without bound.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import ExitStack
from time import perf_counter

from django.db import connections
from django.utils.log import log_response

from kernel import correlation, metrics, tracing

#: Methods labelled as themselves; anything else is "other" (input again).
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "<unmatched>"
_REQUEST_ID_META = "HTTP_" + correlation.REQUEST_ID_HEADER.upper().replace("-", "_")


class _QueryMeter:
    """Counts and times the SQL of this thread, per database alias."""

    def __init__(self) -> None:
        self.count: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)

    def __call__(self, execute, sql, params, many, context):
        started = perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            alias = context["connection"].alias
            self.count[alias] += 1
            self.seconds[alias] += perf_counter() - started


def route_of(request) -> str:
    """``/products/<slug:slug>/`` for any product page; "/" for the home page.

    A request answered before its URL was resolved names its route itself
    (``request.answered_route``: storefront/early_answers.py).
    """
    match = getattr(request, "resolver_match", None)
    if match is None:
        return getattr(request, "answered_route", UNMATCHED_ROUTE)
    return f"/{match.route}"


def observe_requests_middleware(get_response):
    """Give the request its id (echoed in ``X-Request-ID``) and measure it."""

    def middleware(request):
        # From ``META``: ``request.headers`` copies every header the first time it is read,
        # which a page answered early (storefront/early_answers.py) never needs.
        request.request_id = correlation.request_id_from_headers(
            request_id=request.META.get(_REQUEST_ID_META),
            traceparent=request.META.get("HTTP_TRACEPARENT") or tracing.current_traceparent(),
        )
        tracing.tag_request(request.request_id)
        queries = _QueryMeter()
        with correlation.bound(request.request_id), ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(queries))
            started = perf_counter()
            response = get_response(request)
            elapsed = perf_counter() - started
            # What Django's handler would log after the middleware, i.e.
            # without the id ("Not Found: /c/x/"): logged here, once.
            if response.status_code >= 400:
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
        route = route_of(request)
        method = request.method if request.method in _KNOWN_METHODS else "other"
        metrics.http_requests.labels(route, method, str(response.status_code)).inc()
        metrics.http_request_duration.labels(route, method).observe(elapsed)
        for alias, number in queries.count.items():
            metrics.db_queries.labels(route, alias).inc(number)
            metrics.db_query_seconds.labels(route, alias).inc(queries.seconds[alias])
        response[correlation.REQUEST_ID_HEADER] = request.request_id
        return response

    return middleware
