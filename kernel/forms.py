"""Django forms built from a published shape (``kernel.fields.TextField``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django import forms
from django.utils.translation import gettext_lazy

from kernel.fields import TextField


def shape_form(
    name: str, shape: Iterable[TextField], *, choices: Mapping[str, Sequence[tuple[str, str]]]
) -> type[forms.Form]:
    """A form class ``name`` with one optional field per input of ``shape``, in its order.

    Every field is optional here: whether a value is required is judged
    with the whole input by its owner (a country's address rule), whose
    message is then put on the field. ``choices`` turns the named inputs
    into choice fields. Labels and choice names are translated when shown
    (marked for the catalogue where they are defined, ``kernel.translatable``).
    """
    fields: dict[str, forms.Field] = {}
    for spec in shape:
        if spec.name in choices:
            fields[spec.name] = forms.ChoiceField(
                label=gettext_lazy(spec.label),
                choices=[(value, gettext_lazy(name)) for value, name in choices[spec.name]],
                required=False,
            )
        else:
            fields[spec.name] = forms.CharField(
                label=gettext_lazy(spec.label), max_length=spec.max_length, required=False
            )
    return type(name, (forms.Form,), fields)
