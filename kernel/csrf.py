"""Forged cross-site requests refused by what the browser says of their origin, not by a token.

A form's CSRF token is valid only with its own visitor's cookie, so a page
holding one cannot be served to another visitor by an HTTP cache in front
(storefront/http_cache.py). A form on every page an anonymous shopper
shares with others (the currency switcher in the header) posts to a view
decorated with ``origin_checked``, which decides as Go's
``http.CrossOriginProtection`` does:

* ``Sec-Fetch-Site`` (sent by every current browser): ``same-origin`` and
  ``none`` (the user's own action: typed, bookmarked) pass; ``same-site``
  and ``cross-site`` are refused.
* Without it, ``Origin`` (sent on every POST by browsers since 2020): it
  passes when Django's CSRF middleware would let it pass, this site's own
  scheme and host or a ``CSRF_TRUSTED_ORIGINS`` entry (wildcards too), so
  both checks agree on every deployment.
* Without either, it passes: a client that is no browser carries no
  victim's cookies to forge with, and browsers that send neither predate
  2020 (Go decides the same). Every other form keeps Django's token.

A refusal is Django's own CSRF failure (403), so it reads as every other.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

#: ``Sec-Fetch-Site`` values of a request the site's own page (or the user) made.
_OWN_FETCH_SITES = {"same-origin", "none"}
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
#: A form's CSRF token in a page: masked anew on every render, valid only with its visitor's cookie.
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"')


def holds_token(content: bytes) -> bool:
    """Whether a rendered page holds a form's CSRF token (so no one else may be served it)."""
    return _TOKEN_FIELD.search(content) is not None


def without_tokens(content: bytes) -> bytes:
    """``content`` with every form's CSRF token emptied: what every render of it reads."""
    return _TOKEN_FIELD.sub(rb'\1"', content)


def origin_checked(view):
    """Decorate a view whose form sits on shared pages: check origins, not a CSRF token."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in _SAFE_METHODS and (refusal := _refusal(request)):
            return import_string(settings.CSRF_FAILURE_VIEW)(request, reason=refusal)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _refusal(request) -> str | None:
    """Why ``request`` comes from another site, or None."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site in _OWN_FETCH_SITES:
            return None
        return f"Sec-Fetch-Site is {fetch_site!r}: the request comes from another site."
    origin = request.headers.get("Origin")
    # Django's own comparison (a private method, stable since Django 4.0).
    if origin is None or CsrfViewMiddleware(_unused)._origin_verified(request):
        return None
    return f"Origin {origin!r} is not this site's."


def _unused(request):  # pragma: no cover - the middleware is only asked to compare
    raise AssertionError("not a view")
