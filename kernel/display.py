"""How values look to people: the one money formatter, and lists as text.

Every page staff read (the admin, its dashboard, exports meant for people)
shows an amount the same way: rounded to its currency's minor unit
(``kernel.money``), grouped by thousands, with the currency's symbol where
one is unambiguous for a European shop and its ISO code otherwise. Stored
amounts carry more decimals than a currency has (three, so that tax
arithmetic stays exact); that precision is for computing, never for reading.
Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from kernel.money import MINOR_UNITS, Money

#: Symbols shown before the amount; other currencies show their code after a space.
SYMBOLS: dict[str, str] = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"}

EMPTY = "—"


def money_display(value: Money | Decimal | int | str | None, currency: str | None = None) -> str:
    """``€1,234.50``, ``¥2,900``, ``CHF 12.00``, ``\u2212€5.00``; ``—`` for no amount.

    ``value`` is a Money, or an amount with its ``currency``. A minus sign
    (U+2212, not a hyphen) marks a negative amount; a discount is shown as a positive
    amount under a label that says it is one, so it is rarely needed.
    """
    if value is None or value == "":
        return EMPTY
    money = value if isinstance(value, Money) else Money(Decimal(value), currency or "")
    amount = money.rounded().amount
    digits = f"{abs(amount):,.{MINOR_UNITS[money.currency]}f}"
    sign = "\u2212" if amount < 0 else ""
    symbol = SYMBOLS.get(money.currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{money.currency} {digits}"


def number_display(value: Decimal | int | None, *, min_places: int = 0) -> str:
    """A stored decimal without the storage's trailing zeros: ``450.0000`` is ``450``.

    ``min_places`` keeps that many decimals (2 for an amount typed into a
    form, so ``5.000`` reads ``5.00``).
    """
    if value is None or value == "":
        return ""
    number = Decimal(value)
    places = max(min_places, -number.normalize().as_tuple().exponent)
    return f"{number:.{places}f}"


def count_display(count: int, noun: str, plural: str | None = None) -> str:
    """``1 order``, ``2 orders``, ``0 orders``: a count with its noun as staff read it, never
    ``order(s)``. ``plural``: when it is not the noun with an s."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def list_display(values: Iterable[object] | None) -> str:
    """A list as a person writes it: ``LASTONE, TENOFF``; ``—`` when empty."""
    items = [str(value) for value in values or () if value not in (None, "")]
    return ", ".join(items) if items else EMPTY
