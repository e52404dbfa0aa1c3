from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kernel.money import CurrencyMismatch, Money, UnknownCurrency


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def test_arithmetic_keeps_the_currency():
    assert eur("10.50") + eur("0.25") == eur("10.75")
    assert eur("10.50") - eur("0.50") == eur("10")
    assert eur("1.10") * 3 == eur("3.30")
    assert 3 * eur("1.10") == eur("3.30")
    assert -eur("2") == eur("-2")


def test_mixed_currencies_are_refused():
    with pytest.raises(CurrencyMismatch):
        eur("1") + Money(Decimal(1), "USD")
    with pytest.raises(CurrencyMismatch):
        assert eur("1") < Money(Decimal(2), "USD")


@pytest.mark.parametrize("bad", [1.1, True, "abc", "NaN", "Infinity"])
def test_amounts_must_be_exact_and_finite(bad):
    with pytest.raises((TypeError, ValueError)):
        Money(bad, "EUR")


def test_unknown_currency_is_refused():
    with pytest.raises(UnknownCurrency):
        Money(Decimal(1), "XXX")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("0.125", "EUR", "0.13"),
        ("0.124", "EUR", "0.12"),
        ("2.5", "JPY", "3"),
        ("1.0005", "KWD", "1.001"),
    ],
)
def test_rounding_is_half_up_to_the_minor_unit(amount, currency, expected):
    assert Money(Decimal(amount), currency).rounded().amount == Decimal(expected)
    assert str(Money(Decimal(amount), currency).rounded().amount) == expected


def test_display():
    assert str(eur("1234.5")) == "EUR 1,234.50"


@pytest.mark.parametrize(
    ("language", "money", "expected"),
    [
        ("en", Money(Decimal("-1234.5"), "EUR"), "EUR -1,234.50"),
        ("de", Money(Decimal("1234.5"), "EUR"), "1.234,50\u00a0€"),
        ("de", Money(Decimal("0.125"), "EUR"), "0,13\u00a0€"),
        ("de", Money(Decimal("2900"), "JPY"), "2.900\u00a0¥"),
        ("de", Money(Decimal("12"), "CHF"), "12,00\u00a0CHF"),  # no symbol of its own
    ],
)
def test_a_shopper_reads_an_amount_as_their_language_writes_it(language, money, expected):
    with translation.override(language):
        assert str(money) == expected


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False))
def test_rounding_moves_an_amount_by_at_most_half_a_minor_unit(amount):
    money = Money(amount, "EUR")
    assert abs(money.rounded().amount - amount) <= Decimal("0.005")
    assert money.rounded().rounded() == money.rounded()
