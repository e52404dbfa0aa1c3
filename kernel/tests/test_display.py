"""The one money formatter and lists as text."""

from decimal import Decimal

import pytest

from kernel.display import count_display, list_display, money_display, number_display
from kernel.money import Money


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        (Decimal("18.990"), "EUR", "€18.99"),
        (Decimal("83.9800000000000"), "EUR", "€83.98"),
        (Decimal("1234.5"), "GBP", "£1,234.50"),
        (Decimal("2900.000"), "JPY", "¥2,900"),
        (Decimal("12"), "CHF", "CHF 12.00"),
        (Decimal("1.2345"), "KWD", "KWD 1.235"),
        (Decimal("-5"), "EUR", "\u2212€5.00"),
        (None, "EUR", "—"),
    ],
)
def test_amounts_show_in_their_currencys_minor_unit(value, currency, shown):
    assert money_display(value, currency) == shown


def test_a_money_brings_its_own_currency():
    assert money_display(Money(Decimal("0.125"), "USD")) == "$0.13"


def test_numbers_lose_the_storages_trailing_zeros():
    assert number_display(Decimal("450.0000")) == "450"
    assert number_display(Decimal("5.000"), min_places=2) == "5.00"
    assert number_display(Decimal("0.1900")) == "0.19"


def test_lists_are_comma_separated_text():
    assert list_display(["LASTONE", "TENOFF"]) == "LASTONE, TENOFF"
    assert list_display([]) == "—"


@pytest.mark.parametrize(("count", "expected"), [(0, "0 orders"), (1, "1 order"), (2, "2 orders")])
def test_a_count_reads_with_its_noun_in_the_right_number(count, expected):
    assert count_display(count, "order") == expected
    assert count_display(count, "box", "boxes").endswith("box" if count == 1 else "boxes")
