"""Staff admin for recommendations's own models.

Staff pin or block one product on another's page by product code (SKU);
the form turns codes into the catalog's product ids through this context's
copy of the catalog, and refuses a code it has not heard of. Co-purchase
counts, baskets and product copies are read-only: they are computed.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from kernel.adminkit import ReadOnlyAdmin
from kernel.forms import ShownTextField
from recommendations.models import CoPurchase, OrderBasket, Override, ProductProfile


class OverrideForm(forms.ModelForm):
    product_sku = ShownTextField(label="On the page of (product SKU)", max_length=64)
    target_sku = ShownTextField(label="Pin or block (product SKU)", max_length=64)

    class Meta:
        model = Override
        fields = ["product_sku", "action", "target_sku", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            skus = dict(
                ProductProfile.objects.filter(
                    pk__in=[self.instance.product_id, self.instance.target_id]
                ).values_list("pk", "sku")
            )
            self.initial["product_sku"] = skus.get(self.instance.product_id, "")
            self.initial["target_sku"] = skus.get(self.instance.target_id, "")

    def _product_id(self, field: str) -> int:
        sku = self.cleaned_data[field].strip()
        found = ProductProfile.objects.filter(sku=sku).values_list("pk", flat=True).first()
        if found is None:
            raise forms.ValidationError(f"No product with SKU {sku!r} is known.")
        return found

    def clean_product_sku(self) -> int:
        return self._product_id("product_sku")

    def clean_target_sku(self) -> int:
        return self._product_id("target_sku")

    def clean(self):
        cleaned = super().clean()
        product_id, target_id = cleaned.get("product_sku"), cleaned.get("target_sku")
        if product_id is not None and product_id == target_id:
            raise forms.ValidationError("A product cannot be pinned or blocked on its own page.")
        twin = Override.objects.filter(product_id=product_id, target_id=target_id)
        if twin.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This product already has an override on that page.")
        self.instance.product_id, self.instance.target_id = product_id, target_id
        return cleaned


@admin.register(Override)
class OverrideAdmin(admin.ModelAdmin):
    form = OverrideForm
    list_display = ["product_id", "action", "target_id", "position"]
    list_filter = ["action"]
    search_fields = ["=product_id", "=target_id"]


@admin.register(ProductProfile)
class ProductProfileAdmin(ReadOnlyAdmin):
    list_display = ["product_id", "sku", "title", "status"]
    list_filter = ["status"]
    search_fields = ["sku", "title"]


@admin.register(CoPurchase)
class CoPurchaseAdmin(ReadOnlyAdmin):
    list_display = ["product_id", "other_id", "orders"]
    search_fields = ["=product_id"]


@admin.register(OrderBasket)
class OrderBasketAdmin(ReadOnlyAdmin):
    list_display = ["order_number", "placed_at", "cancelled"]
    list_filter = ["cancelled"]
    search_fields = ["order_number"]
