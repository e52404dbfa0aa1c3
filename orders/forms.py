"""Forms of orders' storefront pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kernel.forms import WholeNumberField


class OrderLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Order number"), max_length=20, help_text=_("e.g. CM-7KQ4-X9PD")
    )
    email = forms.EmailField(
        label=_("E-mail used for the order"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PaymentForm(forms.Form):
    """Pay an order awaiting payment. ``attempt`` is a one-time token rendered with the form:
    a double click or a refresh posts it twice, and the second post gets the first payment."""

    METHODS = [
        ("sandbox", _("Card")),
        ("bank_transfer", _("Bank transfer")),
        ("cash_on_delivery", _("Cash on delivery")),
    ]

    attempt = forms.CharField(widget=forms.HiddenInput, max_length=64)
    provider = forms.ChoiceField(
        label=_("Payment method"), choices=METHODS, widget=forms.RadioSelect, initial="sandbox"
    )
    # ASCII digits: Python's \d also takes other scripts' digits, which no card has. The
    # autocomplete names let a phone fill the card in; inputmode brings up its number pad.
    card_number = forms.RegexField(
        r"^[0-9 ]{12,23}$",
        required=False,
        label=_("Card number"),
        error_messages={"invalid": _("Enter the number on the card: 12 to 19 digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    exp_month = WholeNumberField(
        min_value=1,
        max_value=12,
        required=False,
        label=_("Expiry month"),
        widget=forms.NumberInput(attrs={"autocomplete": "cc-exp-month"}),
    )
    exp_year = WholeNumberField(
        min_value=2000,
        max_value=2100,
        required=False,
        label=_("Expiry year"),
        widget=forms.NumberInput(attrs={"autocomplete": "cc-exp-year"}),
    )
    cvc = forms.RegexField(
        r"^[0-9]{3,4}$",
        required=False,
        label=_("CVC"),
        error_messages={"invalid": _("Enter the 3 or 4 digits on the back of the card.")},
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("provider") == "sandbox":
            for name in ("card_number", "exp_month", "exp_year", "cvc"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Required for card payments."))
        return data
