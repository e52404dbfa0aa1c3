"""Staff forms of pricing's admin: the basket preview and bulk voucher generation."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from kernel.forms import WholeNumberField
from kernel.money import MINOR_UNITS
from kernel.quantities import whole_number
from pricing import api, quoting
from pricing.dtos import BasketLine, Customer, PricingError, Quote, QuoteContext
from pricing.services.vouchers import MAX_BULK_CODES

#: Which form field a pricing error is about (api field name → form field).
ERROR_FIELDS = {"lines": "basket", "currency": "currency", "voucher_codes": "voucher_codes"}


class QuotePreviewForm(forms.Form):
    """What would this basket cost for this customer now (or at ``at``)?"""

    basket = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "cols": 40}),
        help_text="One line per item: SKU and quantity, e.g. <code>CT-0001 2</code>.",
    )
    currency = forms.ChoiceField(choices=[(c, c) for c in sorted(MINOR_UNITS)], initial="EUR")
    customer = forms.CharField(
        required=False, help_text="Username or id: their groups' price lists and limits apply."
    )
    extra_groups = forms.CharField(
        required=False, help_text="Customer groups to try, comma-separated (e.g. wholesale)."
    )
    country = forms.RegexField(r"^[A-Za-z]{2}$", required=False, help_text="Tax country.")
    visitor_id = forms.CharField(required=False, help_text="For experiment assignment.")
    voucher_codes = forms.CharField(required=False, help_text="Comma-separated.")
    at = forms.DateTimeField(required=False, help_text="Empty for now.")

    def clean_basket(self) -> list[BasketLine]:
        lines = []
        for number, raw in enumerate(self.cleaned_data["basket"].splitlines(), start=1):
            if not raw.strip():
                continue
            parts = raw.split()
            quantity = whole_number(parts[1]) if len(parts) == 2 else None
            if quantity is None:
                raise forms.ValidationError(f"Line {number}: write a SKU and a whole quantity.")
            lines.append(BasketLine(sku=parts[0], quantity=quantity))
        return lines

    def clean_customer(self) -> Customer | None:
        value = self.cleaned_data["customer"].strip()
        if not value:
            return None
        users = get_user_model().objects
        user_id = whole_number(value)
        user = users.filter(pk=user_id).first() if user_id is not None else None
        user = user or users.filter(username=value).first()
        if user is None:
            raise forms.ValidationError("No user with this username or id.")
        return api.shopper(customer_id=user.pk).customer

    def quote(self) -> Quote | None:
        """The quote, or None with the pricing error put on the field it concerns."""
        data = self.cleaned_data
        customer = data["customer"] or Customer()
        extra = tuple(g.strip() for g in data["extra_groups"].split(",") if g.strip())
        customer = Customer(customer_id=customer.customer_id, groups=customer.groups + extra)
        try:
            return quoting.quote(
                lines=data["basket"],
                currency=data["currency"],
                customer=customer,
                voucher_codes=[c for c in data["voucher_codes"].split(",") if c.strip()],
                context=QuoteContext(
                    country=data["country"] or None,
                    visitor_id=data["visitor_id"] or None,
                    at=data["at"],
                ),
                note_exposures=False,
            )
        except PricingError as exc:
            self.add_error(ERROR_FIELDS.get(exc.field), str(exc))
            return None


class GenerateVouchersForm(forms.Form):
    count = WholeNumberField(min_value=1, max_value=MAX_BULK_CODES, initial=100)
    prefix = forms.RegexField(r"^[A-Za-z0-9-]{0,12}$", required=False, initial="")
    batch = forms.SlugField(max_length=60, help_text="A label to find and export them later.")
    valid_until = forms.DateTimeField(required=False)


class PriceImportForm(forms.Form):
    """A prices file for ``pricing.price_import``: CSV, or JSON Lines by its extension."""

    file = forms.FileField(
        help_text="CSV with the columns sku, currency, price and optionally compare_at and "
        "price_list; or JSON Lines (.jsonl) with the same keys."
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run", help_text="Check the file and count; write nothing."
    )

    @property
    def format(self) -> str:
        name = self.cleaned_data["file"].name.lower()
        return "jsonl" if name.endswith((".jsonl", ".ndjson")) else "csv"
