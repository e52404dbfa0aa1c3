"""A text input's published shape: name, label, length limit, whether it is required,
and what a browser may fill it with.

A context that owns a shape other contexts ask for (a postal address)
publishes it once, as a table of ``TextField`` in its ``dtos``; Django
forms (``kernel.forms.shape_form``) and DRF serializers
(``kernel.rest.shape_serializer``) are built from that table, so a limit
changes in one place. Plain Python, so a ``dtos`` module may import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: White space, spelled out: what Python's ``str.isspace`` (and so ``str.strip`` and a text
#: field's trimming) calls white space. The schema's patterns are ECMA-262, whose ``\s``
#: differs from Python's (U+001C to U+001F and U+0085 are white space only to Python,
#: U+FEFF only to ECMA-262), so a pattern names these, never ``\s``, and means the same
#: to an app's validator as to ours.
WHITE_SPACE = (
    r"\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)

#: Characters that show nothing and that ``str.strip`` keeps: the format characters
#: (Unicode category Cf: a zero-width space, the direction marks and isolates, a word
#: joiner, a byte order mark) and the other default-ignorable code points (a soft hyphen,
#: variation selectors, Hangul fillers). Spelled out for ECMA-262 and Python alike, as
#: ``WHITE_SPACE``; the Cf marks that print a sign (U+0600 to U+0605, U+06DD) are not here.
INVISIBLE = (
    r"\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
)
#: ``INVISIBLE`` beyond the BMP, which an ECMA-262 pattern without the ``u`` flag cannot
#: name: hieroglyph and shorthand format controls, musical symbol formats, tags and
#: variation selectors.
_INVISIBLE_ASTRAL = (
    r"\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_NOTHING_SHOWN = re.compile(f"[{WHITE_SPACE}{INVISIBLE}{_INVISIBLE_ASTRAL}]*")


def visible_or_blank(text: str) -> str:
    """``text`` trimmed as a text field trims it, or "" when it shows nothing at all.

    A required text is refused when blank, and ``str.strip`` leaves invisible
    characters (a pasted direction mark, a zero-width space): a name of those
    alone would pass as filled in and print as nothing on a label or a page.
    Text that shows something keeps them, where a script may need them.
    """
    text = text.strip()
    return "" if _NOTHING_SHOWN.fullmatch(text) else text


@dataclass(frozen=True, slots=True)
class TextField:
    """One text input. ``required``: whatever else is typed, this must not be blank.
    ``autofill``: the HTML autofill name a browser fills it with (``postal-code``), so a
    phone offers what the shopper saved instead of a field typed with a thumb."""

    name: str
    label: str
    max_length: int
    required: bool = False
    autofill: str = ""


#: A SKU as every context writes one: an ASCII letter or digit, then up to 63 more of them,
#: ".", "_" or "-". No "/" or spaces: a SKU is a URL path segment (/api/v1/products/<sku>/),
#: and a list of them in a query string never needs percent-encoding.
SKU = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
