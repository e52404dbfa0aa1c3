"""The one rule for how many units a line may hold.

A quantity is a whole number of at least 1; ``True`` is not one, though
Python counts it as an int. Where a line also has a ceiling (a basket line,
``settings.PRICING_MAX_LINE_QUANTITY``), it is at most that. Inventory
(reserve, allocate, receive), pricing (quote) and orders (cart, order
draft) each judge a quantity with this function and word the refusal for
their own callers.
"""

from __future__ import annotations


def is_valid_quantity(value: object, *, most: int | None = None) -> bool:
    """Whether ``value`` is a whole number of at least 1 (and at most ``most``)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return False
    return most is None or value <= most
