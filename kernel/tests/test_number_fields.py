"""kernel/forms.py: number fields read numbers as people write them, and nothing else."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kernel.forms import AmountField, WholeNumberField


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
