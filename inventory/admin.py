"""Staff admin for inventory's own models."""

from django.contrib import admin

from inventory import services
from inventory.models import StockLevel


@admin.register(StockLevel)
class StockLevelAdmin(admin.ModelAdmin):
    list_display = ["sku", "quantity", "updated_at"]
    search_fields = ["sku"]

    def save_model(self, request, obj, form, change):
        services.stock_level_save(stock=obj)
