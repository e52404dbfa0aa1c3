"""Every text a staff member types in the admin is read as the storefront reads one.

``str.strip`` keeps invisible characters, so Django's ``CharField`` took a
shipping method, a warehouse, a brand or a tax class SKU named by a pasted
direction mark alone as filled in: a name that prints as nothing on the
storefront, a label and the admin's own lists. The back office's forms use
the kernel's ``ShownTextField`` for every model's text.
"""

from __future__ import annotations

import contextlib

import pytest
from django import forms

from backoffice.tests.admin_forms import admin_form_fields
from kernel.forms import ShownTextField

pytestmark = pytest.mark.django_db


def _text_fields():
    """Every plain text field of every admin's form and inline form, by model and name: not
    an e-mail, slug or choice (their own fields), nor a password (never shown, unstripped)."""
    return admin_form_fields(
        lambda field: type(field) in (forms.CharField, ShownTextField) and field.strip
    )


@pytest.mark.parametrize("typed", ["\u202e", "\u200b\u200f", "\ufeff "])
def test_no_admin_text_field_takes_a_text_that_shows_nothing(typed):
    taken = {}
    for name, field in _text_fields():
        with contextlib.suppress(forms.ValidationError):
            taken[name] = field.clean(typed)
    assert {name: text for name, text in taken.items() if text} == {}


def test_admin_text_fields_still_read_text_that_shows_something():
    fields = dict(_text_fields())
    assert {"ShippingMethod.name", "Warehouse.name", "Brand.name"} <= set(fields)
    assert {field.clean("\u202eA") for field in fields.values()} == {"\u202eA"}
