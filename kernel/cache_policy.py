"""Who may keep a copy of an answer: a shared cache only what a view made shareable.

A view that means its answer to be shared says so (``Cache-Control:
public``: the storefront's pages, storefront/http_cache.py). This middleware,
outside every one that sets a cookie (the visitor's id, the session, CSRF,
messages), has the last word on the way out:

* an answer that sets a cookie is never shareable, whatever the view said:
  the cookie is one shopper's (a new visitor id, a session being ended, a
  flash message read), and a CDN that strips ``Set-Cookie`` and keeps the
  page would hand that page to everyone;
* an answer without any ``Cache-Control`` (the cart, the pay and
  confirmation pages, the API's private reads) is ``private``: a shared
  cache must not keep it, which an HTTP cache is otherwise free to do for
  a 200 without one. ``no-store`` when the request carried credentials (an
  ``Authorization`` header, a session, an order's access token): nothing
  of a signed-in answer is kept on disk; else ``no-cache``, so a browser
  revalidates.
"""

from __future__ import annotations

from django.conf import settings

#: A personal answer, asked for with credentials: kept nowhere.
PERSONAL = "private, no-store"
#: Anything else no view made shareable: the browser's alone, revalidated.
UNSHARED = "private, no-cache"
#: A page its view made shareable that sets a cookie after all (as http_cache's private pages).
ONE_SHOPPERS = "private, max-age=0, must-revalidate"
#: Request headers that carry credentials besides the session cookie.
_CREDENTIALS = ("HTTP_AUTHORIZATION", "HTTP_ORDER_ACCESS_TOKEN")


def cache_policy_middleware(get_response):
    """Make every answer that sets a cookie private, and give every answer a policy."""

    def middleware(request):
        response = get_response(request)
        control = response.get("Cache-Control")
        if control is None:
            response["Cache-Control"] = PERSONAL if _with_credentials(request) else UNSHARED
        elif response.cookies and "public" in control:
            response["Cache-Control"] = ONE_SHOPPERS
        return response

    return middleware


def _with_credentials(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or any(
        name in request.META for name in _CREDENTIALS
    )
