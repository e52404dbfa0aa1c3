"""Marking words for the translation catalogue where Django may not be imported.

Data classes (``dtos`` modules) are stdlib only, yet some of their words
reach shoppers: form labels, country names. ``gettext_noop`` marks such a
word for ``makemessages`` (which extracts ``gettext_noop("...")`` calls)
and returns it unchanged; the layer that shows it translates it then
(``kernel.forms.shape_form``, with ``gettext_lazy``), in the language of
the request.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    return message
