"""A query parameter no one reads is refused on every API route, before the view runs.

The routes that read a query (lists, search, availability, recommendations)
check their parameters as they read them (`kernel.rest.read_query`, the
catalog's and the reviews' own readers), naming any they do not know; their
handlers say so with `reads_query`. Every other route reads none, and
answered ``?page=2`` of the address book, ``?currency=USD`` of a product or
``?force=1`` of a cart's checkout as if it had been read: the app that
guessed or misspelt a parameter was never told, although the API promises a
400 for a parameter the route does not read (docs/api.md, "Errors").

``?format=`` is read everywhere, by the content negotiation
(`kernel.negotiation`). The refusal comes before authentication, so an app
learns of its wrong address whoever it is signed in as.
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.settings import api_settings

from kernel.edge import api_error_response, is_api
from kernel.rest import unknown_parameters


def reads_query(handler):
    """Mark a view's handler as one that reads (and checks) its own query parameters."""
    handler.reads_query = True
    return handler


class UnreadQueryMiddleware:
    """Refuse the query of an API view whose handler does not read it (a 400 naming each)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)  # set by DRF's ``as_view``
        if view_class is None or not request.GET or not is_api(request):
            return None
        handler = getattr(
            view_class, "get" if request.method == "HEAD" else request.method.lower(), None
        )
        if handler is None or getattr(handler, "reads_query", False):
            return None  # no handler: DRF's 405 says more than a parameter's 400 would
        unread = unknown_parameters(request.GET, known={api_settings.URL_FORMAT_OVERRIDE})
        if not unread:
            return None
        return api_error_response(request, exceptions.ValidationError(unread))
