"""``announce_prices --currency``: a code no price is in is refused, not announced as 0.

An operator rebuilding the search projection with ``--currency eur`` (or a
typo) was told "Announced 0 prices" and exit 0: the rebuild seemed done and
nothing was sent. Codes are read in any case; one without prices is
refused, naming the currencies that have some.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.usefixtures("shop")


def announce(*args: str) -> str:
    out = io.StringIO()
    call_command("announce_prices", *args, stdout=out)
    return out.getvalue()


def test_a_currency_is_read_in_any_case():
    assert announce("--currency", "eur").startswith("Announced 3 prices")
    assert announce("--currency", "EUR", "--currency", "usd").startswith("Announced 6 prices")


def test_a_currency_without_prices_is_refused_naming_those_with_some():
    with pytest.raises(CommandError, match="no prices in XXX; prices exist in EUR, USD"):
        announce("--currency", "XXX")
