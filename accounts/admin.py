"""Staff admin for accounts' own models (users stay in Django's auth admin)."""

from django.contrib import admin

from accounts.models import Address


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["full_name", "customer_id", "postal_code", "city", "country", "updated_at"]
    list_filter = ["country"]
    search_fields = ["full_name", "postal_code", "city", "customer_id"]

    # Addresses are the customer's: staff look, the customer (or the REST API)
    # edits, so every change passes the per-country validation in services.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
