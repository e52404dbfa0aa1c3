"""Django forms built from a published shape (``kernel.fields.TextField``), and number fields
that read numbers as people write them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django import forms
from django.utils.translation import gettext_lazy, gettext_noop

from kernel.fields import TextField, visible_or_blank
from kernel.money import plain_amount
from kernel.quantities import whole_number


class WholeNumberField(forms.IntegerField):
    """Django's ``IntegerField``, reading ASCII digits only (a minus sign at most): it reads
    with ``int()``, which also takes "1_0" (ten) and other scripts' digits ("\u0661\u0662").
    The number is ``whole_number``'s, so thousands of digits meet the field's maximum."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            number = whole_number(value.strip())
            if number is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return number
        return super().to_python(value)


class AmountField(forms.DecimalField):
    """Django's ``DecimalField``, reading an amount written plainly (``kernel.money``): it
    reads with ``Decimal()``, which also takes "1_0", "1e3" and other scripts' digits."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and plain_amount(value.strip()) is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ShownTextField(forms.CharField):
    """Django's ``CharField``, reading a text that shows nothing (invisible characters alone,
    ``kernel.fields.visible_or_blank``) as empty: ``str.strip`` keeps them, so a required
    name of a pasted direction mark would pass as filled in, as the API refuses it."""

    def to_python(self, value):
        value = super().to_python(value)
        if self.strip and isinstance(value, str) and not visible_or_blank(value):
            return self.empty_value
        return value


def posted_text(request, name: str) -> str:
    """The posted value ``name`` of a page's form that a view reads without a Django form
    (a hidden SKU, a report's reason), "" when missing or when it holds a NUL character.

    The edge lets a NUL through in a page's form, for the form to name the field
    (kernel/edge.py); no database takes one, and no honest page sends one in a hidden
    value, so it reads as no value, which such a view answers as any unknown one.
    """
    value = request.POST.get(name, "")
    return "" if "\x00" in value else value


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
            fields[spec.name] = ShownTextField(
                label=gettext_lazy(spec.label), max_length=spec.max_length, required=False
            )
        if spec.autofill:
            fields[spec.name].widget.attrs["autocomplete"] = spec.autofill
    return type(name, (forms.Form,), fields)


#: Django's words that DRF's German catalogue says again informally ("Gib eine gültige
#: E-Mail Adresse an."): an installed app's catalogue comes before Django's own. Named
#: here, they are in the shop's catalogue (locale/), which comes before both, in the
#: formal German the shop speaks everywhere else.
FORMAL_GERMAN = (
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
)
