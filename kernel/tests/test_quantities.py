"""The one quantity rule that inventory, pricing and orders judge lines by."""

import pytest

from kernel.quantities import is_valid_quantity


@pytest.mark.parametrize("value", [1, 2, 999])
def test_whole_numbers_from_one_are_quantities(value):
    assert is_valid_quantity(value)


@pytest.mark.parametrize("value", [0, -1, True, False, 1.0, "1", None])
def test_zero_negatives_bools_and_non_integers_are_not(value):
    assert not is_valid_quantity(value)


def test_a_ceiling_is_inclusive():
    assert is_valid_quantity(5, most=5)
    assert not is_valid_quantity(6, most=5)
