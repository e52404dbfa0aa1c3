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

A media range weighted ``q=0`` says "not this one" (RFC 9110, 12.4.2), and
the most specific range naming a type decides for it: DRF reads no weights,
so ``Accept: application/json;q=0`` was answered with JSON, a 200 the
client had refused. A renderer that such a range refuses is left out of the
choice, and a request that refuses every renderer is a 406.
"""

from __future__ import annotations

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.utils.mediatypes import _MediaType


class ContentNegotiation(DefaultContentNegotiation):
    def get_accept_list(self, request):
        if not request.META.get("HTTP_ACCEPT", "").strip():
            return ["*/*"]
        return super().get_accept_list(request)

    def select_renderer(self, request, renderers, format_suffix=None):
        ranges = [_MediaType(token) for token in self.get_accept_list(request)]
        wanted = [renderer for renderer in renderers if not _refused(renderer, ranges)]
        if not wanted:
            raise NotAcceptable(available_renderers=renderers)
        return super().select_renderer(request, wanted, format_suffix)

    def filter_renderers(self, renderers, format):
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise NotAcceptable(
                f"{self.settings.URL_FORMAT_OVERRIDE}={format[:40]}: "
                f"this address answers {known} only."
            )
        return chosen


def _refused(renderer, ranges: list[_MediaType]) -> bool:
    """Whether the most specific ranges naming the renderer's type all weigh it 0."""
    kind = _MediaType(renderer.media_type)
    naming = [media_range for media_range in ranges if kind.match(media_range)]
    if not naming:
        return False
    closest = max(media_range.precedence for media_range in naming)
    return all(_weight(r) == 0 for r in naming if r.precedence == closest)


def _weight(media_range: _MediaType) -> float:
    """The range's ``q``; one that cannot be read counts as the default, 1, as DRF read it."""
    try:
        return float(media_range.params.get("q", 1))
    except ValueError:
        return 1.0
