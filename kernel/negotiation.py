"""The API's content negotiation: DRF's, with an unknown ``?format=`` a 406 naming it.

DRF lets ``?format=<name>`` pick a renderer (the schema's ``?format=json``)
and answers a name no renderer of the view has with a bare ``Http404``: an
app that sent ``?format=xml`` to ``search/``, or to its own cart, was told
"Not found." as if the cart or the page did not exist. No representation
the caller asked for exists, which is a 406 (documented on every
operation), and the message names the parameter and the formats there are.

An ``Accept`` header sent empty (``Accept:`` with no value, as some HTTP
clients and proxies send when a caller sets it to nothing) is read as no
header at all: any type. DRF read it as one empty media type that no
renderer matches, a 406 to a client that had asked for nothing in
particular.
"""

from __future__ import annotations

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def get_accept_list(self, request):
        if not request.META.get("HTTP_ACCEPT", "").strip():
            return ["*/*"]
        return super().get_accept_list(request)

    def filter_renderers(self, renderers, format):
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise NotAcceptable(
                f"{self.settings.URL_FORMAT_OVERRIDE}={format[:40]}: "
                f"this address answers {known} only."
            )
        return chosen
