"""Slowing down guessing and abuse: the client's address, a per-address
request limit, and the pieces django-axes is configured with.

* `client_ip`: the one definition of the caller's address, for axes'
  sign-in lockout and for `throttled` alike: ``REMOTE_ADDR``, or behind
  ``TRUSTED_PROXY_COUNT`` reverse proxies the address the outermost of
  them saw (counted from the right of ``X-Forwarded-For``, the end a
  client cannot forge).
* `throttled`: a view decorator limiting POSTs per address and hour in
  Django's cache (a fixed window, `counted`: simple, and good enough
  against a script; one cache round trip per POST). Used where a request sends mail
  or creates an account (password reset, sign-up).
* `login_username` and `lockout_response`: how axes counts user names
  (trimmed and case-folded, as the sign-in form reads them) and what a
  locked-out caller sees (429, the cool-off, a Retry-After header).
* The API's throttles (``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``):
  DRF's, counting by `client_ip` in fixed windows (one round trip), with
  rates read per request.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import ipaddress
import time
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework import throttling as drf_throttling
from rest_framework.settings import api_settings

from kernel.caching import Tally

HOUR = 3600


def client_ip(request) -> str:
    """The caller's address; a forwarded hop that is not an IP address is not trusted.

    The trusted hop is whatever the header holds at that place: behind a
    proxy that does not write it (a direct connection, a count set too high)
    it is the client's own text, ``garbage`` or ``1.2.3.4:5678``. Axes keeps
    the address in an IP column, which PostgreSQL refused with a 500 on every
    sign-in; the peer's address is the one the shop can vouch for. Spelt
    the one way Python writes it, so one IPv6 address is one counter.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            with contextlib.suppress(ValueError):
                return str(ipaddress.ip_address(hops[-proxies]))
    return request.META.get("REMOTE_ADDR", "")


def allow(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one request of ``key``; False once it made more than ``limit`` in this period."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # any key is a valid cache key
    return counted(f"throttle:{scope}:{digest}", period) <= limit


def window_left(period: int, *, now: float | None = None) -> int:
    """Seconds until the current fixed window of ``period`` ends (``Retry-After``)."""
    return period - int((time.time() if now is None else now) % period)


def counted(key: str, period: int, *, now: float | None = None) -> int:
    """One more request counted under ``key`` in the current fixed window of ``period``
    seconds; how many so far. One round trip with the shop's Redis backend."""
    return _counted_in(_window_key(key, period, now), period)


def _window_key(key: str, period: int, now: float | None) -> str:
    """Where ``key``'s requests of the fixed window of ``period`` seconds around ``now``
    are counted."""
    return f"{key}:{int((time.time() if now is None else now) // period)}"


def _counted_in(window_key: str, period: int) -> int:
    if count_in_window := getattr(cache, "count_in_window", None):
        return count_in_window(window_key, period)
    cache.add(window_key, 0, timeout=period)
    try:
        return cache.incr(window_key)
    except ValueError:  # expired between add and incr
        cache.set(window_key, 1, timeout=period)
        return 1


def throttled(scope: str, *, limit_setting: str):
    """Limit a view's POSTs per client address to ``settings.<limit_setting>`` an hour.

    The limit is read on each request, so an operator (or a test) can change it.
    A refused request gets the 429 page and a ``Retry-After`` header.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            limit = getattr(settings, limit_setting)
            if request.method == "POST" and not allow(
                scope=scope, key=client_ip(request), limit=limit, period=HOUR
            ):
                wait = window_left(HOUR)
                minutes = -(-wait // 60)  # rounded up
                response = render(request, "429.html", {"minutes": minutes}, status=429)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def login_username(request, credentials) -> str:
    """The user name axes counts failures for: as typed, trimmed and case-folded.

    Cut to the 255 characters axes stores: the admin's sign-in form does not
    limit the length, and a longer name would fail the insert (a 500).
    """
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(name).strip().lower()[:255]


def lockout_response(request, original_response=None, credentials=None):
    """What axes answers a locked-out sign-in with: a page, or the API's 429 problem."""
    # Imported here: kernel.rest imports DRF's views, which import this module's throttles.
    from kernel.rest import PROBLEM_MEDIA_TYPE, problem

    minutes = settings.LOGIN_COOLOFF_MINUTES
    if request.path.startswith("/api/"):
        detail = "Too many failed sign-in attempts. Please try again later."
        response = JsonResponse(
            problem(429, detail=detail), status=429, content_type=PROBLEM_MEDIA_TYPE
        )
    else:
        response = render(request, "locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class RatesFromSettings:
    """A DRF throttle that counts by `client_ip` and reads its rate on each request.

    DRF copies ``DEFAULT_THROTTLE_RATES`` into the class once, at import;
    reading them per request lets an operator's override (or a test's)
    take effect. A scope without a rate is not throttled.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)


class InFixedWindows(drf_throttling.SimpleRateThrottle):
    """DRF's rate throttle, counting in fixed windows of the rate's period.

    DRF keeps each caller's request times in a list, read and written back
    whole on every request (two round trips, the list pickled both ways);
    this counts in fixed windows instead (`counted`: one round trip). The
    price: a caller may fit up to twice the rate across a window's edge,
    which still stops a script, as the POST limits above do. Comes after
    DRF's own throttle class in the bases, so a scoped throttle has named
    its scope and rate when this counts.
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        self.retry_after = self.duration - now % self.duration
        window = _window_key(self.key, self.duration, now)
        # A read counted before DRF ran (`anonymous_read_tally`) is not counted again.
        made = getattr(request, COUNTED_ATTRIBUTE, {}).get(window)
        return (made or _counted_in(window, self.duration)) <= self.num_requests

    def wait(self):
        """Seconds until the window that refused the request ends (``Retry-After``)."""
        return self.retry_after


class AnonRateThrottle(RatesFromSettings, drf_throttling.AnonRateThrottle, InFixedWindows):
    """Anonymous callers, per address: ``anon`` (``API_THROTTLE_ANON``)."""


class UserRateThrottle(RatesFromSettings, drf_throttling.UserRateThrottle, InFixedWindows):
    """Signed-in callers, per user: ``user``.

    DRF's would count an anonymous caller by address too, a second count of
    what ``anon`` counts already (and two more cache round trips on every
    anonymous request): anonymous callers are ``anon``'s alone.
    """

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


class ScopedRateThrottle(RatesFromSettings, drf_throttling.ScopedRateThrottle, InFixedWindows):
    """Views naming a ``throttle_scope`` (``auth``, ``vouchers``): per user or address."""


#: The request's attribute naming what was counted before DRF ran: {window key: count}.
COUNTED_ATTRIBUTE = "throttle_counts_made"


def anonymous_read_tally(request) -> Tally | None:
    """How the ``anon`` throttle counts this anonymous API read, for the read that looks
    for its kept answer to count on the way (storefront/early_answers.py): one round trip
    for both. None when ``anon`` has no rate.

    For a view without a ``throttle_scope`` (the only kind answered early),
    ``anon`` is the one throttle that counts an anonymous caller.
    """
    throttle = AnonRateThrottle()
    if throttle.rate is None:
        return None
    caller = SimpleNamespace(META=request.META, user=None)  # what the throttle reads of it
    key = throttle.get_cache_key(caller, view=None)
    period = throttle.duration
    return Tally(key=_window_key(key, period, throttle.timer()), seconds=period)


def anonymous_read_allowed(request, tally: Tally | None) -> bool:
    """Whether ``anon`` lets this read through, ``tally`` counted (here, if the cache could
    not count it on the way); False when it would refuse it.

    The count is left on the request, so that a read passed on to DRF (a
    refused one, for DRF's 429 and its ``Retry-After``, or one with no kept
    answer) is counted once, not twice.
    """
    if tally is None:
        return True
    if tally.count is None:
        tally.count = _counted_in(tally.key, tally.seconds)
    setattr(request, COUNTED_ATTRIBUTE, {tally.key: tally.count})
    return tally.count <= AnonRateThrottle().num_requests
