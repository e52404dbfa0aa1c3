"""Staff admin for the catalog's own models."""

from django.contrib import admin

from catalog import services
from catalog.models import Category, Product


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "sku", "category", "updated_at"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["title", "sku", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def save_model(self, request, obj, form, change):
        services.product_save(product=obj)
