"""Staff admin for pricing's own models. Every save that matters goes through services,
so price history is written and events are published."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from catalog import api as catalog_api
from kernel.adminkit import (
    AMOUNT_INPUTS,
    NUMBER_INPUTS,
    CommaSeparatedField,
    ReadOnlyAdmin,
    SkuNamesMixin,
    SystemAdmin,
    list_column,
    money_column,
)
from kernel.display import money_display
from pricing import price_import
from pricing.experiment_figures import experiment_figures
from pricing.forms import GenerateVouchersForm, PriceImportForm, QuotePreviewForm
from pricing.models import (
    CurrencyTaxMode,
    DemandLine,
    Experiment,
    ExperimentVariant,
    Price,
    PriceChange,
    PriceList,
    PriceListEntry,
    Promotion,
    PromotionTarget,
    PromotionTier,
    SkuPlacement,
    SkuTaxClass,
    TaxRate,
    Voucher,
    VoucherRedemption,
)
from pricing.services import experiments, price_lists, prices, promotions, vouchers


def _who(request) -> dict:
    return {"changed_by": request.user.get_username(), "changed_by_id": request.user.pk}


# --- Prices ----------------------------------------------------------------------


@admin.register(Price)
class PriceAdmin(SkuNamesMixin, admin.ModelAdmin):
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
    extra = 1
    formfield_overrides = AMOUNT_INPUTS


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
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


@admin.register(CurrencyTaxMode)
class CurrencyTaxModeAdmin(admin.ModelAdmin):
    list_display = ["currency", "prices_include_tax"]


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ["country", "tax_class", "percentage"]
    list_filter = ["country", "tax_class"]
    formfield_overrides = NUMBER_INPUTS

    @admin.display(description="rate", ordering="rate")
    def percentage(self, obj: TaxRate) -> str:
        return f"{obj.rate * 100:.4g} %"


@admin.register(SkuTaxClass)
class SkuTaxClassAdmin(admin.ModelAdmin):
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


# --- Promotions and vouchers ------------------------------------------------------------


class PromotionTargetInline(admin.TabularInline):
    model = PromotionTarget
    extra = 1


class PromotionTierInline(admin.TabularInline):
    model = PromotionTier
    extra = 0
    formfield_overrides = AMOUNT_INPUTS


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "scope",
        "priority",
        "stacking",
        "starts_at",
        "ends_at",
        "requires_voucher",
        "is_active",
    ]
    list_filter = ["is_active", "kind", "scope", "stacking", "requires_voucher"]
    search_fields = ["name", "slug", "reason"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PromotionTargetInline, PromotionTierInline]
    formfield_overrides = AMOUNT_INPUTS
    actions = ["generate_vouchers"]

    def save_model(self, request, obj, form, change):
        promotions.promotion_save(promotion=obj)

    def save_related(self, request, form, formsets, change):
        """Announce once targets and tiers are saved, so the event lists what is covered."""
        super().save_related(request, form, formsets, change)
        promotions.promotion_announce(promotion=form.instance)

    def delete_model(self, request, obj):
        promotions.promotion_delete(promotion=obj)

    def delete_queryset(self, request, queryset):
        for promotion in queryset.prefetch_related("targets"):
            promotions.promotion_delete(promotion=promotion)

    @admin.action(description="Generate single-use voucher codes", permissions=["add_voucher"])
    def generate_vouchers(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Pick exactly one promotion.", messages.ERROR)
            return None
        promotion = queryset.get()
        form = GenerateVouchersForm(request.POST if "count" in request.POST else None)
        if form.is_valid():
            created = vouchers.vouchers_generate(promotion=promotion, **form.cleaned_data)
            self.message_user(
                request, f"{len(created)} codes created in batch {form.cleaned_data['batch']!r}."
            )
            url = reverse("admin:pricing_voucher_changelist")
            return redirect(f"{url}?batch={form.cleaned_data['batch']}")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Generate voucher codes for {promotion}",
            "opts": self.model._meta,
            "form": form,
            "promotion": promotion,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/pricing/generate_vouchers.html", context)

    def has_add_voucher_permission(self, request):
        return request.user.has_perm("pricing.add_voucher")


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "promotion",
        "times_used",
        "usage_limit",
        "per_customer_limit",
        "valid_until",
        "batch",
        "is_active",
    ]
    list_filter = ["is_active", "batch", "promotion"]
    list_select_related = ["promotion"]
    search_fields = ["code", "batch"]
    readonly_fields = ["times_used", "created_at"]
    actions = ["export_csv"]
    formfield_overrides = AMOUNT_INPUTS

    @admin.action(description="Export selected codes as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="vouchers.csv"'
        writer = csv.writer(response)
        writer.writerow(["code", "promotion", "batch", "usage_limit", "times_used", "valid_until"])
        for voucher in queryset.select_related("promotion").order_by("code"):
            writer.writerow(
                [
                    voucher.code,
                    voucher.promotion.slug,
                    voucher.batch,
                    voucher.usage_limit or "",
                    voucher.times_used,
                    voucher.valid_until.isoformat() if voucher.valid_until else "",
                ]
            )
        return response


@admin.register(VoucherRedemption)
class VoucherRedemptionAdmin(ReadOnlyAdmin):
    list_display = ["voucher", "order_ref", "customer_id", "redeemed_at", "released_at"]
    list_select_related = ["voucher"]
    search_fields = ["voucher__code", "order_ref"]


# --- Experiments ---------------------------------------------------------------------


class ExperimentVariantInline(admin.TabularInline):
    model = ExperimentVariant
    extra = 2
    formfield_overrides = NUMBER_INPUTS


class ExperimentForm(forms.ModelForm):
    skus = CommaSeparatedField(
        required=False, help_text="...or SKUs, separated by commas.", label="SKUs"
    )

    class Meta:
        model = Experiment
        fields = ["name", "slug", "category_slug", "skus"]


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    form = ExperimentForm

    class Media:
        css = {"all": ["pricing/admin.css"]}

    list_display = ["name", "slug", "category_slug", "status", "started_at", "stopped_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    readonly_fields = ["status", "started_at", "stopped_at", "results"]
    inlines = [ExperimentVariantInline]
    actions = ["start", "stop"]

    @admin.action(description="Start the selected experiments", permissions=["change"])
    def start(self, request, queryset):
        for experiment in queryset:
            try:
                experiments.experiment_start(experiment=experiment)
            except (ValueError, ValidationError) as exc:
                self.message_user(request, f"{experiment}: {exc}", messages.ERROR)

    @admin.action(
        description="Stop the selected experiments (back to base prices)", permissions=["change"]
    )
    def stop(self, request, queryset):
        for experiment in queryset:
            experiments.experiment_stop(experiment=experiment)

    @admin.display(description="Results per variant")
    def results(self, obj: Experiment):
        """Shoppers quoted, orders, conversion, units and revenue per variant and currency."""
        if obj.pk is None:
            return "-"
        [figures] = experiment_figures(Experiment.objects.filter(pk=obj.pk))
        rows = []
        for variant in figures.variants:
            for sales in variant.sales or (None,):
                orders = sales.orders if sales else 0
                rows.append(
                    (
                        variant.key,
                        f"{variant.traffic_percent} %",
                        variant.shoppers,
                        sales.currency if sales else "—",
                        orders,
                        f"{orders * 100 / variant.shoppers:.1f} %" if variant.shoppers else "—",
                        sales.units if sales else 0,
                        money_display(sales.revenue) if sales else "—",
                    )
                )
        return format_html(
            '<div class="wide-table"><table><tr><th>Variant</th><th>Traffic</th>'
            "<th>Shoppers quoted</th>"
            "<th>Currency</th><th>Orders</th><th>Conversion</th><th>Units</th>"
            "<th>Revenue</th></tr>{}</table></div>",
            format_html_join("", "<tr>" + "<td>{}</td>" * 8 + "</tr>", rows),
        )


@admin.register(DemandLine)
class DemandLineAdmin(ReadOnlyAdmin):
    """Units per SKU in the orders pricing heard of: what demand rules count (read-only)."""

    list_display = ["sku", "units", "order", "placed_at", "cancelled"]
    list_select_related = ["order"]
    search_fields = ["sku", "=order__order_ref"]

    @admin.display(ordering="order__placed_at")
    def placed_at(self, line: DemandLine):
        return line.order.placed_at

    @admin.display(boolean=True)
    def cancelled(self, line: DemandLine) -> bool:
        return line.order.cancelled
