"""Forms of the checkout steps: details (e-mail, addresses, shipping method) and the final step."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import api as accounts_api
from accounts.dtos import ADDRESS_FIELDS, PostalAddress
from kernel.forms import shape_form
from kernel.mail_domains import validate_mailable
from orders.shipping import methods


class AddressFields(
    shape_form(
        "PostalAddressForm",
        ADDRESS_FIELDS,
        choices={"country": [(c.code, c.name) for c in accounts_api.supported_countries()]},
    )
):
    """A postal address; required fields and postal codes are judged per country by accounts.

    The fields every country requires are marked ``aria-required`` (and
    with an asterisk by the stylesheet) rather than ``required``: the
    billing address is ignored while "bill to the shipping address" is
    ticked, and a browser would refuse to submit its empty required fields.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Which of the shopper's saved addresses a browser fills each form with.
        section = {"ship": "shipping", "bill": "billing"}.get(self.prefix or "", "")
        for spec in ADDRESS_FIELDS:
            attrs = self.fields[spec.name].widget.attrs
            if spec.required:
                attrs["aria-required"] = "true"
            if spec.autofill and section:
                attrs["autocomplete"] = f"{section} {spec.autofill}"

    def address(self) -> PostalAddress:
        return PostalAddress(
            **{
                name: self.cleaned_data.get(name) or ""
                for name in PostalAddress.__dataclass_fields__
            }
        )


NEW_ADDRESS = "new"


class DetailsForm(forms.Form):
    """E-mail, shipping method and, for a customer with an address book, which addresses.

    ``address_book`` is the signed-in customer's own book
    (``accounts.api.addresses_for``): the saved-address choices are built
    from it alone, so an id from anyone else's book is simply not a valid
    choice (a form error, and nothing about that address is revealed).
    """

    required_css_class = "required"

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        validators=[validate_mailable],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    ship_saved = forms.ChoiceField(widget=forms.RadioSelect, label=_("Ship to"), required=False)
    billing_same = forms.BooleanField(
        label=_("Bill to the shipping address"), required=False, initial=True
    )
    bill_saved = forms.ChoiceField(widget=forms.RadioSelect, label=_("Bill to"), required=False)
    shipping_method = forms.ChoiceField(widget=forms.RadioSelect, label=_("Shipping"))

    def __init__(self, *args, shipping_choices=None, address_book=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_method"].choices = shipping_choices or [
            (m.code, m.name) for m in methods()
        ]
        self.saved = {str(entry.id): entry.address for entry in address_book}
        if not self.saved:
            del self.fields["ship_saved"], self.fields["bill_saved"]
            return
        choices = [
            (str(entry.id), ", ".join(filter(None, [entry.label, *entry.address.lines()])))
            for entry in address_book
        ] + [(NEW_ADDRESS, _("A new address"))]
        for name in ("ship_saved", "bill_saved"):
            self.fields[name].choices = choices
            self.fields[name].required = True

    def saved_address(self, name: str) -> PostalAddress | None:
        """The book address chosen in ``name`` ("ship_saved"/"bill_saved"); None: a new one."""
        return self.saved.get(self.cleaned_data.get(name) or NEW_ADDRESS)


class PlaceOrderForm(forms.Form):
    """The final step. ``token`` is drawn when the review page is shown: submitting it twice
    (double click, refresh) finds the order the first submission placed."""

    token = forms.CharField(widget=forms.HiddenInput, min_length=16, max_length=64)
