"""A shopper's own header on a kept page, rendered once for everyone it looks the same for.

A kept page (page_cache.py) is every shopper's of a price segment but for
its header's personal part (``templates/partials/personal_header.html``):
the sign-in or account links, the cart's count, the staff link. Rendering
that part was half of serving a kept page to a signed-in shopper (two
includes, six URL reversals, a plural, a new CSRF mask).

It shows few things: the language (and the URL prefix the links are
reversed under), whether the shopper is signed in, whether they are staff,
and how many items their cart holds. So it is rendered once per
combination of those (``Shown``, the most recent ``SIZE`` in this process)
and each answer puts the shopper's own CSRF token (the sign-out form's)
in place of a stand-in. The template is rendered from exactly those values,
never from the request, so a header rendered for one shopper cannot show
another anything else of theirs: a field added to the template that is
not in ``Shown`` renders empty until it is added there.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.translation import get_language, override

PERSONAL_HEADER = "partials/personal_header.html"
SIZE = 256
#: Rendered where the shopper's token goes; it cannot be a token (those are alphanumeric).
_TOKEN = "--csrf-token--"


@dataclass(frozen=True, slots=True)
class Viewer:
    """What the header reads of the shopper, as the template names it (``user.*``)."""

    is_authenticated: bool
    is_staff: bool


@dataclass(frozen=True, slots=True)
class Shown:
    """Everything the personal header shows."""

    language: str
    script_prefix: str
    user: Viewer
    cart_item_count: int


def shown_to(request) -> Shown:
    """What the header shows ``request``'s shopper, read as the layout's context processors
    give it to the template (the cart's count is orders' context processor's)."""
    context: dict = {}
    for processor in engines["django"].engine.template_context_processors:
        context.update(processor(request))
    user = context["user"]
    return Shown(
        language=get_language(),
        script_prefix=get_script_prefix(),
        user=Viewer(is_authenticated=user.is_authenticated, is_staff=user.is_staff),
        # A number, or orders' lazy one (a SimpleLazyObject, which adds as its number).
        cart_item_count=0 + context.get("cart_item_count", 0),
    )


def rendered(request) -> str:
    """The personal header for ``request``'s shopper, with their own CSRF token where it
    has a form (asked for only then: asking sets the shopper's CSRF cookie)."""
    header = _rendered(shown_to(request))
    return header.replace(_TOKEN, get_token(request)) if _TOKEN in header else header


def for_newcomers() -> str | None:
    """The header every shopper without a session sees, in the active language: what a
    newcomer's request would render (no user, no cart). None if it has a form, whose
    token would be each newcomer's own."""
    header = _rendered(
        Shown(
            language=get_language(),
            script_prefix=get_script_prefix(),
            user=Viewer(is_authenticated=False, is_staff=False),
            cart_item_count=0,
        )
    )
    return None if _TOKEN in header else header


@functools.lru_cache(maxsize=SIZE)
def _rendered(shown: Shown) -> str:
    with override(shown.language):
        return render_to_string(
            PERSONAL_HEADER,
            {
                "user": shown.user,
                "cart_item_count": shown.cart_item_count,
                "csrf_token": _TOKEN,
            },
        )


def forget() -> None:
    """Drop every rendered header (a test that changed a template or the URLs)."""
    _rendered.cache_clear()
