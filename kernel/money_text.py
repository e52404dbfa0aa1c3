"""Money as a shopper reads it in the page's language: what ``str(Money)`` answers once
the kernel app installed it (``kernel.translatable.install``).

English pages and e-mails write the ISO code first, ``EUR 1,234.50``, as they
always have. A German reader takes a point for thousands and a comma for
decimals, so ``EUR 1,234.50`` reads wrongly there; German writes
``1.234,50 €``: digits grouped and separated as Django's formats for the
active language say, the currency's symbol after the amount (its code where
it has no symbol of its own), joined by a no-break space so that the two
never part at a line's end (as ``Intl.NumberFormat("de-DE")`` writes it).

Staff pages use `kernel.display.money_display` instead: one format for every
admin page, whatever the language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import formats, translation

from kernel.display import SYMBOLS
from kernel.money import MINOR_UNITS

if TYPE_CHECKING:
    from kernel.money import Money

#: Languages that write the currency after the amount.
_CURRENCY_AFTER = frozenset({"de"})


def money_text(money: Money) -> str:
    """``EUR 1,234.50`` in English, ``1.234,50 €`` in German (the active language)."""
    digits = formats.number_format(
        money.rounded().amount, MINOR_UNITS[money.currency], use_l10n=True, force_grouping=True
    )
    language = (translation.get_language() or "").split("-")[0]
    if language in _CURRENCY_AFTER:
        return f"{digits}\u00a0{SYMBOLS.get(money.currency, money.currency)}"
    return f"{money.currency} {digits}"
