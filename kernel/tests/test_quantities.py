"""The one quantity rule that inventory, pricing and orders judge lines by."""

import pytest

from kernel.quantities import LARGEST_COUNT, is_valid_quantity, whole_number


@pytest.mark.parametrize("value", [1, 2, 999])
def test_whole_numbers_from_one_are_quantities(value):
    assert is_valid_quantity(value)


@pytest.mark.parametrize("value", [0, -1, True, False, 1.0, "1", None])
def test_zero_negatives_bools_and_non_integers_are_not(value):
    assert not is_valid_quantity(value)


def test_a_ceiling_is_inclusive():
    assert is_valid_quantity(5, most=5)
    assert not is_valid_quantity(6, most=5)


@pytest.mark.parametrize("sign", ["", "-"])
def test_a_number_of_thousands_of_digits_is_read_past_every_limit_not_refused_by_int(sign):
    """int() refuses more than 4300 digits with a ValueError (a 500 wherever a form or a
    file holds one); such a number is larger than any count or page a caller accepts."""
    number = whole_number(sign + "9" * 5000)

    assert abs(number) > LARGEST_COUNT
    assert (number < 0) == (sign == "-")
    assert whole_number("0" * 5000 + "7") == 7
