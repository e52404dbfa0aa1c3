"""Money: a Decimal amount with an ISO 4217 currency. Stdlib only.

This is the one place rounding is defined: amounts are carried at full
precision through arithmetic (a 12.5 % discount of 0.99 stays exact) and
rounded to the currency's minor unit, half up, when a price is shown or
charged (`Money.rounded`). Mixing currencies is a programming error and
raises `CurrencyMismatch`; floats are refused because they cannot represent
cents exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kernel import translatable

#: An amount as people write one: ASCII digits, a point, a minus sign at most. ``Decimal()``
#: also reads "1_299", "1e3", "NaN" and other scripts' digits ("١٢"), which no price means.
_PLAIN_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def plain_amount(text: str) -> Decimal | None:
    """``text`` read as an amount written plainly (``_PLAIN_AMOUNT``), else None."""
    return Decimal(text) if _PLAIN_AMOUNT.fullmatch(text) else None


#: Minor units (digits after the decimal point) of the currencies we accept.
MINOR_UNITS: dict[str, int] = {
    "AUD": 2, "BRL": 2, "CAD": 2, "CHF": 2, "CNY": 2, "CZK": 2, "DKK": 2,
    "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "INR": 2, "JPY": 0, "KRW": 0,
    "KWD": 3, "MXN": 2, "NOK": 2, "NZD": 2, "PLN": 2, "SEK": 2, "SGD": 2,
    "USD": 2, "ZAR": 2,
}  # fmt: skip

ROUNDING = ROUND_HALF_UP


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


class UnknownCurrency(ValueError):
    """A currency code that is not an accepted ISO 4217 code."""


def validate_currency(code: str) -> str:
    if code not in MINOR_UNITS:
        raise UnknownCurrency(f"unknown currency {code!r}; accepted: {', '.join(MINOR_UNITS)}")
    return code


def to_decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, bool | float):
        raise TypeError("money amounts must be Decimal, int or str, never float or bool")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return amount


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_decimal(self.amount))
        validate_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @property
    def minor_unit(self) -> Decimal:
        return Decimal(1).scaleb(-MINOR_UNITS[self.currency])

    def rounded(self) -> Money:
        """The amount rounded to the currency's minor unit (half up)."""
        return Money(self.amount.quantize(self.minor_unit, rounding=ROUNDING), self.currency)

    def _same_currency(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} and {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same_currency(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same_currency(other).amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, Money):
            raise TypeError("cannot multiply Money by Money")
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same_currency(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same_currency(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same_currency(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same_currency(other).amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    def __str__(self) -> str:
        """``EUR 1,234.50``, or ``1.234,50 €`` on a German page (kernel/money_text.py,
        installed by the kernel app: ``kernel.translatable.write_money``)."""
        return translatable.write_money(self)
