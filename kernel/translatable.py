"""Words of stdlib-only data classes that reach shoppers, and their translation.

Data classes (``dtos`` modules) are stdlib only, yet some of their words
reach shoppers: form labels, country names. ``gettext_noop`` marks such a
word for ``makemessages`` (which extracts ``gettext_noop("...")`` calls)
and returns it unchanged; the layer that shows it translates it then
(``kernel.forms.shape_form``, with ``gettext_lazy``), in the language of
the request.

Where a data class itself renders text (a postal address's printed lines
name the country), it calls ``translate``: Django's ``gettext`` once the
kernel app is ready (``install``), the word unchanged before, so the data
classes stay importable, and testable, without Django.
"""

from __future__ import annotations

from collections.abc import Callable


def gettext_noop(message: str) -> str:
    return message


_translator: Callable[[str], str] = gettext_noop


def install(translator: Callable[[str], str]) -> None:
    """Make ``translate`` use ``translator`` (the kernel app installs Django's ``gettext``)."""
    global _translator  # noqa: PLW0603 - one process-wide hook, set once at start-up
    _translator = translator


def translate(message: str) -> str:
    """``message`` in the active language (unchanged until a translator is installed)."""
    return _translator(message)
