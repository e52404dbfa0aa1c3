"""The one rule for how many units a line may hold.

A quantity is a whole number of at least 1; ``True`` is not one, though
Python counts it as an int. Where a line also has a ceiling (a basket line,
``settings.PRICING_MAX_LINE_QUANTITY``), it is at most that. Inventory
(reserve, allocate, receive), pricing (quote) and orders (cart, order
draft) each judge a quantity with this function and word the refusal for
their own callers.
"""

from __future__ import annotations

import re

#: The most a count column holds (PostgreSQL's ``integer``): stock on hand, a line's units.
LARGEST_COUNT = 2_147_483_647
#: A whole number as people type it in a file: ASCII digits, a minus sign at most. Python's
#: ``int()`` also takes "1_000" and other scripts' digits ("١٢"), which nobody means in a count.
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
#: More digits than any count, page or amount needs. ``int()`` refuses a number of more
#: than 4300 digits with a ValueError, which a form or an uploaded file can hold.
_MOST_DIGITS = 40


def is_valid_quantity(value: object, *, most: int | None = None) -> bool:
    """Whether ``value`` is a whole number of at least 1 (and at most ``most``)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return False
    return most is None or value <= most


def whole_number(text: str) -> int | None:
    """``text`` read as a whole number in ASCII digits (see ``_WHOLE_NUMBER``), else None.

    A number of more than ``_MOST_DIGITS`` digits is read as that many nines (with its
    sign): still past every limit its caller checks, so the caller's own "at most"
    message answers, as for any other number too large.
    """
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    digits = digits.lstrip("0") or "0"
    if len(digits) > _MOST_DIGITS:
        digits = "9" * _MOST_DIGITS
    return int(sign + digits)
