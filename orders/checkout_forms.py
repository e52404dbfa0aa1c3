"""Forms of the checkout steps: details (e-mail, addresses, shipping method) and the final step."""

from __future__ import annotations

from django import forms

from accounts import api as accounts_api
from accounts.dtos import PostalAddress
from orders.shipping import methods


class AddressFields(forms.Form):
    """A postal address; required fields and postal codes are judged per country by accounts."""

    full_name = forms.CharField(max_length=150, required=False)
    company = forms.CharField(max_length=150, required=False)
    line1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    postal_code = forms.CharField(max_length=20, required=False)
    city = forms.CharField(max_length=100, required=False)
    region = forms.CharField(label="State / region", max_length=60, required=False)
    country = forms.ChoiceField(required=False)
    phone = forms.CharField(max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            (c.code, c.name) for c in accounts_api.supported_countries()
        ]

    def address(self) -> PostalAddress:
        return PostalAddress(
            **{
                name: self.cleaned_data.get(name) or ""
                for name in PostalAddress.__dataclass_fields__
            }
        )


class DetailsForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    billing_same = forms.BooleanField(
        label="Bill to the shipping address", required=False, initial=True
    )
    shipping_method = forms.ChoiceField(widget=forms.RadioSelect, label="Shipping")

    def __init__(self, *args, shipping_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shipping_method"].choices = shipping_choices or [
            (m.code, m.name) for m in methods()
        ]


class PlaceOrderForm(forms.Form):
    """The final step. ``token`` is drawn when the review page is shown: submitting it twice
    (double click, refresh) finds the order the first submission placed."""

    token = forms.CharField(widget=forms.HiddenInput, min_length=16, max_length=64)
