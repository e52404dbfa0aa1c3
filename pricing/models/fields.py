"""Columns and checks shared by pricing's tables: currencies, amounts, validity windows."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from kernel.money import MINOR_UNITS, Money

CURRENCY_CHOICES = [(code, code) for code in MINOR_UNITS]


AMOUNT_DIGITS, AMOUNT_PLACES = 14, 3
#: Every stored amount is less than this (its column's digits before the point).
AMOUNT_LIMIT = Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES)


def amount_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        validators=[MinValueValidator(Decimal(0))],
        **kwargs,
    )


def check_minor_units(amount: Decimal | None, currency: str, field: str) -> None:
    """Stored prices are already in the currency's minor unit: nothing to round later."""
    if amount is None or currency not in MINOR_UNITS:
        return
    if Money(amount, currency).rounded().amount != amount:
        raise ValidationError({field: f"{currency} has {MINOR_UNITS[currency]} decimal places."})


def window_ordered(start: str, end: str, *, name: str) -> models.CheckConstraint:
    """A validity window ``[start, end)`` whose end, when both are set, is after its start."""
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gt": F(start)}),
        name=name,
    )
