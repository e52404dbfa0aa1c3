"""A required context's service that does not answer: a 503 that says so, not a 500.

Browse pages treat pricing as optional (``call_optional``); the cart,
checkout and the API's carts cannot, and used to let ``ServiceUnavailable``
escape as an unhandled exception: the shopper got "Something went wrong on
our side", the app a ``server_error`` problem, and the log an ERROR with a
traceback for what is an outage the client had already logged and counted
(``remote_calls_total{outcome="unavailable"}``), not a bug to alert on.

This middleware is the one edge where every view's ``ServiceUnavailable``
arrives, so no view handles it itself. The request's own work is already
undone when it gets here: a view's transaction has rolled back, and
checkout calls pricing before it allocates stock or creates the order (and
compensates what it did otherwise), so the answer may say nothing was
ordered. ``Retry-After`` is the breaker's default cooldown: sooner, the
call would only fail at once again.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from kernel.edge import is_api
from kernel.remote.client import ServiceUnavailable
from kernel.rest import PROBLEM_MEDIA_TYPE, problem

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait (``PRICING_SERVICE_BREAKER_COOLDOWN``'s default).
RETRY_AFTER_SECONDS = 10


class ServiceUnavailableMiddleware:
    """Answers a view's ``ServiceUnavailable`` with 503: a page, or a problem under the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceUnavailable):
            return None
        logger.warning("%s %s answered 503: %s", request.method, request.path, exception)
        if is_api(request):
            detail = _(
                "A part of the shop is not answering right now, so nothing was changed. "
                "Please try again in a moment."
            )
            response = JsonResponse(
                problem(503, detail=detail), status=503, content_type=PROBLEM_MEDIA_TYPE
            )
        else:
            # Rendered like the 500 page: without a request context, which could fail again.
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # Logged above as the WARNING it is: Django would log any 5xx again at ERROR.
        response._has_been_logged = True
        return response
