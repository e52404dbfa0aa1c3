"""Admin forms of inventory. Saving goes through services, never a model save."""

from __future__ import annotations

from django import forms

from catalog import api as catalog_api
from inventory.models import Warehouse
from inventory.stock_import import MAX_ROWS
from kernel.forms import ShownTextField, WholeNumberField

#: Uploads bigger than this are refused before being read.
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class StockChangeForm(forms.Form):
    warehouse = forms.ModelChoiceField(Warehouse.objects.all(), to_field_name="code")
    sku = forms.CharField(label="SKU", max_length=64)
    reference = forms.CharField(
        max_length=100, required=False, help_text="Delivery note, count sheet, ticket..."
    )

    def clean_sku(self) -> str:
        """Checked here too (the service checks again) so every error shows at once."""
        sku = self.cleaned_data["sku"].strip()
        if sku not in catalog_api.products_by_sku(skus=[sku]):
            raise forms.ValidationError("No product with this SKU in the catalog.")
        return sku


class ReceiptForm(StockChangeForm):
    quantity = WholeNumberField(min_value=1, max_value=1_000_000, help_text="Units received.")


class AdjustmentForm(StockChangeForm):
    quantity_delta = WholeNumberField(
        label="Change",
        min_value=-1_000_000,
        max_value=1_000_000,
        help_text="Units to add (e.g. 3) or remove (e.g. -2).",
    )
    reason = ShownTextField(max_length=200, help_text="Why: damaged, lost, found, recount...")

    def clean_quantity_delta(self) -> int:
        delta = self.cleaned_data["quantity_delta"]
        if delta == 0:
            raise forms.ValidationError("An adjustment must change the quantity.")
        return delta


class StockImportForm(forms.Form):
    file = forms.FileField(
        help_text=(
            "CSV with a header row and the columns warehouse, sku, quantity (units counted "
            f"on hand). At most {MAX_ROWS} rows. Nothing is changed if any row is bad."
        )
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB; split it.")
        return upload
