"""The review form of the storefront pages; limits are the services' own (``reviews.dtos``)."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kernel.forms import ShownTextField
from reviews.dtos import BODY_MAX, PROS_CONS_MAX, RATINGS, TITLE_MAX, ReviewDraft


def _stars(n: int) -> str:
    return ngettext("%(n)s star", "%(n)s stars", n) % {"n": n}


#: A choice's label, translated when a page shows it. Formatting a lazy translation with
#: ``%`` translates it at once: at import, in English, on every page.
_stars_label = lazy(_stars, str)


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, _stars_label(n)) for n in reversed(RATINGS)],
        coerce=int,
        widget=forms.RadioSelect,
        label=_("Rating"),
        error_messages={"required": _("Choose a rating from 1 to 5 stars.")},
    )
    title = ShownTextField(
        label=_("Title"), max_length=TITLE_MAX, help_text=_("Sum up your review in a line.")
    )
    body = ShownTextField(
        label=_("Your review"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    pros = ShownTextField(
        label=_("Pros"),
        max_length=PROS_CONS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cons = ShownTextField(
        label=_("Cons"),
        max_length=PROS_CONS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def draft(self) -> ReviewDraft:
        return ReviewDraft(**self.cleaned_data)


def display_name(user) -> str:
    """How a reviewer is shown: first name and last initial, never the e-mail address."""
    initial = f" {user.last_name[:1]}." if user.last_name else ""
    return f"{user.first_name}{initial}".strip() or "Customer"
