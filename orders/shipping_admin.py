"""Staff edit the shipping methods; the model's ``clean`` checks kinds, prices and countries."""

from django.contrib import admin

from kernel.adminkit import AMOUNT_INPUTS
from orders.shipping import ShippingMethod


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "price",
        "per_kg",
        "free_over",
        "countries",
        "is_active",
    ]
    list_editable = ["is_active"]
    list_filter = ["is_active", "kind"]
    search_fields = ["name", "code"]
    formfield_overrides = AMOUNT_INPUTS

    def has_delete_permission(self, request, obj=None):
        return False  # carts keep the code; deactivate instead
