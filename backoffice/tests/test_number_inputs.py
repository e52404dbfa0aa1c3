"""Every number a staff member types in the admin is read as the storefront reads one.

Django's number fields read with ``int()`` and ``Decimal()``, which also take
"1e3" (a price of 1,000), "1_0" (ten) and other scripts' digits ("٣", three):
a typo saved as a different number. The back office's forms use the kernel's
``WholeNumberField`` and ``AmountField`` for every model's numbers.
"""

from __future__ import annotations

import contextlib

import pytest
from django import forms

from backoffice.tests.admin_forms import admin_form_fields

pytestmark = pytest.mark.django_db


def _number_fields():
    """Every number field of every admin's form and inline form, by model and name."""
    return admin_form_fields(
        lambda field: isinstance(field, forms.IntegerField | forms.DecimalField)
    )


@pytest.mark.parametrize("typed", ["1e3", "1_0", "\u0663", "\uff11"])
def test_no_admin_number_field_reads_a_number_written_otherwise(typed):
    read = {}
    for name, field in _number_fields():
        with contextlib.suppress(forms.ValidationError):
            read[name] = field.clean(typed)
    assert read == {}


def test_admin_number_fields_still_read_plain_numbers():
    fields = dict(_number_fields())
    assert len(fields) > 20
    assert {field.clean("12") for field in fields.values()} == {12}
