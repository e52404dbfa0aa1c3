"""Pricing admin: prices (with history and bulk import), price lists, tax, placements."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from catalog import api as catalog_api
from kernel.adminkit import (
    AMOUNT_INPUTS,
    NUMBER_INPUTS,
    ForgetsCachedReads,
    ReadOnlyAdmin,
    SkuNamesMixin,
    SystemAdmin,
    list_column,
    money_column,
)
from kernel.display import money_display
from pricing import cache, price_import
from pricing.forms import PriceImportForm, QuotePreviewForm
from pricing.models import (
    CurrencyTaxMode,
    Price,
    PriceChange,
    PriceList,
    PriceListEntry,
    SkuPlacement,
    SkuTaxClass,
    TaxRate,
)
from pricing.services import price_lists, prices


class CatalogSkuForm(forms.ModelForm):
    """A row of a SKU the catalog sells, as the price import requires of each of its rows.

    Without it a typo (or a product's code where its variants are sold) was saved: a
    price, tax class or list price no cart ever reads, shown in lists without a name.
    A SKU kept unchanged is not asked about again, so a row whose product the catalog has
    since removed can still be corrected.
    """

    def clean_sku(self):
        sku = self.cleaned_data["sku"]
        if "sku" in self.changed_data and sku not in catalog_api.names_by_sku(skus=[sku]):
            raise forms.ValidationError(price_import.unknown_sku(sku))
        return sku


def _who(request) -> dict:
    return {"changed_by": request.user.get_username(), "changed_by_id": request.user.pk}


# --- Prices ----------------------------------------------------------------------


@admin.register(Price)
class PriceAdmin(SkuNamesMixin, admin.ModelAdmin):
    form = CatalogSkuForm
    names_by_sku = staticmethod(catalog_api.names_by_sku)
    skus_named = staticmethod(catalog_api.skus_named)
    list_display = ["sku", "product_name", "currency", "price", "compare_at", "updated_at"]
    list_filter = ["currency"]
    search_fields = ["sku"]
    readonly_fields = ["history"]
    change_list_template = "admin/pricing/price/change_list.html"
    formfield_overrides = AMOUNT_INPUTS
    price = money_column("amount", description="price")
    compare_at = money_column("compare_at_amount", description="compare-at price")

    @admin.display(description="Recent changes")
    def history(self, obj: Price):
        if obj.pk is None:
            return "-"
        changes = PriceChange.objects.filter(
            sku=obj.sku, currency=obj.currency, price_list__isnull=True
        )[:10]
        url = reverse("admin:pricing_pricechange_changelist")
        return format_html(
            '<table>{}</table><a href="{}?q={}">All changes of {}</a>',
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
                (
                    (
                        c.changed_at,
                        c.field,
                        money_display(c.old_amount, c.currency),
                        money_display(c.new_amount, c.currency),
                        c.changed_by,
                    )
                    for c in changes
                ),
            ),
            url,
            obj.sku,
            obj.sku,
        )

    def save_model(self, request, obj, form, change):
        prices.price_save(price=obj, **_who(request))

    def has_delete_permission(self, request, obj=None):
        """Prices are changed, not deleted: pricing.price_changed.v1 cannot say "no price"
        (so caches and the search projection would keep showing it)."""
        return False

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        upload = self.admin_site.admin_view(self.import_view)
        return [
            path("preview/", preview, name="pricing_price_preview"),
            path("import/", upload, name="pricing_price_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Prices from a file, all or nothing, through ``pricing.price_import``."""
        if not (request.user.has_perm("pricing.add_price") and self.has_change_permission(request)):
            raise PermissionDenied
        form = PriceImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            parsed = price_import.parse(form.cleaned_data["file"].read(), fmt=form.format)
            errors = parsed.errors
            if parsed.ok:
                result = price_import.apply(
                    parsed.rows, dry_run=form.cleaned_data["dry_run"], **_who(request)
                )
                dry = "Dry run, nothing written: " if form.cleaned_data["dry_run"] else ""
                self.message_user(request, f"{dry}{result}", messages.SUCCESS)
                return redirect("admin:pricing_price_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import prices",
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/pricing/price/import.html", context)

    def preview_view(self, request):
        """What would this basket cost for this customer now (or at another moment)?"""
        if not self.has_view_permission(request):
            return redirect("admin:index")
        form = QuotePreviewForm(request.GET or None)
        quote = form.quote() if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "title": "Basket price preview",
            "opts": self.model._meta,
            "form": form,
            "quote": quote,
        }
        return TemplateResponse(request, "admin/pricing/preview.html", context)


@admin.register(PriceChange)
class PriceChangeAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "sku",
        "currency",
        "price_list",
        "field",
        "old",
        "new",
        "changed_by",
    ]
    fields = list_display
    readonly_fields = list_display
    old = money_column("old_amount", description="old amount")
    new = money_column("new_amount", description="new amount")
    list_filter = ["currency", "field", "price_list"]
    list_select_related = ["price_list"]
    search_fields = ["sku", "changed_by"]
    date_hierarchy = "changed_at"


class PriceListEntryInline(admin.TabularInline):
    model = PriceListEntry
    form = CatalogSkuForm
    extra = 1
    formfield_overrides = AMOUNT_INPUTS


@admin.register(PriceList)
class PriceListAdmin(ForgetsCachedReads):
    """Quotes read the lists through pricing's cache: a list saved (its entries in the same
    transaction) or deleted forgets it."""

    forget = staticmethod(cache.prices_changed)
    list_display = ["name", "customer_group", "valid_from", "valid_until", "is_active"]
    list_filter = ["customer_group", "is_active"]
    search_fields = ["name", "customer_group"]
    inlines = [PriceListEntryInline]

    def save_formset(self, request, form, formset, change):
        """Entries go through services so each change lands in the price history."""
        entries = formset.save(commit=False)
        for entry in formset.deleted_objects:
            price_lists.price_list_entry_delete(entry=entry, **_who(request))
        for entry in entries:
            price_lists.price_list_entry_save(entry=entry, **_who(request))
        formset.save_m2m()


# --- Tax -------------------------------------------------------------------------


class TaxAdmin(ForgetsCachedReads):
    """Quotes read the tax tables through pricing's cache: each change here forgets it."""

    forget = staticmethod(cache.taxes_changed)


@admin.register(CurrencyTaxMode)
class CurrencyTaxModeAdmin(TaxAdmin):
    list_display = ["currency", "prices_include_tax"]


@admin.register(TaxRate)
class TaxRateAdmin(TaxAdmin):
    list_display = ["country", "tax_class", "percentage"]
    list_filter = ["country", "tax_class"]
    formfield_overrides = NUMBER_INPUTS

    @admin.display(description="rate", ordering="rate")
    def percentage(self, obj: TaxRate) -> str:
        return f"{(obj.rate * 100).normalize():f} %"  # 19 %, 5.5 %, 0 %


@admin.register(SkuTaxClass)
class SkuTaxClassAdmin(TaxAdmin):
    form = CatalogSkuForm
    list_display = ["sku", "tax_class"]
    list_filter = ["tax_class"]
    search_fields = ["sku"]


@admin.register(SkuPlacement)
class SkuPlacementAdmin(SystemAdmin):
    """Pricing's copy of catalog placements (from catalog events), for checking targeting."""

    list_display = ["sku", "product_sku", "categories", "brand", "updated_at"]
    search_fields = ["sku", "product_sku"]
    categories = list_column("category_slugs", description="categories")

    def get_fields(self, request, obj=None):
        return ["sku", "product_sku", "categories", "brand", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)
