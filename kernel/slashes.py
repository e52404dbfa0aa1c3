"""Django's ``CommonMiddleware``, appending the missing slash without losing a form or a body.

A URL without its trailing slash (``POST /api/v1/cart/lines``) is answered
with a redirect to the one with it. Django's is a 301, after which browsers
and HTTP libraries (``requests``) repeat a POST as a GET, dropping its body:
the app's call lands on another method, and a form's data is lost. With
``DEBUG`` on, Django raises a ``RuntimeError`` instead (a 500) to warn the
developer of that. For any method but ``GET`` and ``HEAD`` this answers a
308, which clients follow with the same method and body (RFC 9110, 15.4.9).
"""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.middleware import common
from django.utils.http import escape_leading_slashes

_SAFE = frozenset({"GET", "HEAD"})


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308


class CommonMiddleware(common.CommonMiddleware):
    def process_response(self, request, response):
        if (
            response.status_code == 404
            and request.method not in _SAFE
            and self.should_redirect_with_slash(request)
        ):
            with_slash = request.get_full_path(force_append_slash=True)
            return PermanentRedirectKeepingMethod(escape_leading_slashes(with_slash))
        return super().process_response(request, response)
