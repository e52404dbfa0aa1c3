"""Staff admin for pricing's own models."""

from django.contrib import admin

from pricing import services
from pricing.models import Price


@admin.register(Price)
class PriceAdmin(admin.ModelAdmin):
    list_display = ["sku", "currency", "amount", "updated_at"]
    list_filter = ["currency"]
    search_fields = ["sku"]

    def save_model(self, request, obj, form, change):
        services.price_save(price=obj)
