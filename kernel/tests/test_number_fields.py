"""kernel/forms.py: number fields read numbers as people write them, and nothing else."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework import serializers

from kernel.forms import AmountField, WholeNumberField
from kernel.rest import ClosedSerializer


@pytest.mark.parametrize(("text", "number"), [("12", 12), (" 7 ", 7), ("-3", -3), ("0", 0)])
def test_a_whole_number_in_ascii_digits_is_read(text, number):
    assert WholeNumberField().clean(text) == number


@pytest.mark.parametrize("text", ["1_0", "\u0661\u0662", "1.0", "1e3", "+ 1"])
def test_what_int_would_also_read_is_refused(text):
    with pytest.raises(ValidationError, match="Enter a whole number"):
        WholeNumberField().clean(text)


@pytest.mark.parametrize(("text", "amount"), [("12.50", Decimal("12.50")), ("3", Decimal(3))])
def test_a_plain_amount_is_read(text, amount):
    assert AmountField().clean(text) == amount


@pytest.mark.parametrize("text", ["1_0", "1e3", "NaN", "\u0661\u0662", "Infinity"])
def test_what_decimal_would_also_read_is_refused(text):
    with pytest.raises(ValidationError, match="Enter a number"):
        AmountField().clean(text)


def test_a_number_too_long_for_int_is_a_field_error():
    with pytest.raises(ValidationError, match="less than or equal to 5"):
        WholeNumberField(max_value=5).clean("9" * 5000)


class Refund(ClosedSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)


@pytest.mark.parametrize(("text", "amount"), [("12.50", Decimal("12.50")), ("3", Decimal(3))])
def test_an_api_amount_is_a_decimal_string(text, amount):
    body = Refund(data={"amount": text})
    assert body.is_valid(), body.errors
    assert body.validated_data["amount"] == amount


@pytest.mark.parametrize(
    "value", ["\u0661.00", " 1.00", "1_0", "1e2", "\uff19.00", 1, 1.5, True, ["1"], {"a": 1}]
)
def test_an_api_amount_the_schema_refuses_is_refused(value):
    """The schema's amount is a string of ASCII digits with a point (never a float); DRF's
    ``DecimalField`` reads with ``Decimal()`` and also took "\u0661.00", 1.5 and " 1.00"."""
    body = Refund(data={"amount": value})
    assert not body.is_valid()
    assert list(body.errors) == ["amount"]
