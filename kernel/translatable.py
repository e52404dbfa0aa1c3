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
classes stay importable, and testable, without Django. An amount is
written the same way (``write_money``: what ``str()`` of a ``Money`` gives):
as the active language writes it once the kernel app has installed
kernel/money_text.py, plainly (``EUR 1,234.50``) before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kernel.money import Money


def gettext_noop(message: str) -> str:
    return message


_translator: Callable[[str], str] = gettext_noop


def _plainly(money: Money) -> str:
    return f"{money.currency} {money.rounded().amount:,}"


_money_writer: Callable[[Money], str] = _plainly


def install(
    translator: Callable[[str], str], money_writer: Callable[[Money], str] | None = None
) -> None:
    """Make ``translate`` use ``translator`` (the kernel app installs Django's ``gettext``),
    and ``write_money`` ``money_writer`` (kernel/money_text.py)."""
    global _translator, _money_writer  # noqa: PLW0603 - process-wide hooks, set at start-up
    _translator = translator
    _money_writer = money_writer or _plainly


def translate(message: str) -> str:
    """``message`` in the active language (unchanged until a translator is installed)."""
    return _translator(message)


def write_money(money: Money) -> str:
    """``money`` as the active language writes it (``EUR 1,234.50`` until a writer is
    installed)."""
    return _money_writer(money)
