"""Pricing admin: promotions, vouchers (with bulk codes), experiments and demand."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from kernel.adminkit import (
    AMOUNT_INPUTS,
    NUMBER_INPUTS,
    CommaSeparatedField,
    ForgetsCachedReads,
    ReadOnlyAdmin,
)
from kernel.display import count_display, list_display, money_display
from pricing import cache
from pricing.experiment_figures import experiment_figures
from pricing.forms import GenerateVouchersForm
from pricing.models import (
    DemandLine,
    Experiment,
    ExperimentVariant,
    Promotion,
    PromotionTarget,
    PromotionTier,
    Voucher,
    VoucherRedemption,
)
from pricing.services import experiments, promotions, vouchers

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
            batch = form.cleaned_data["batch"]
            self.message_user(
                request, f"{count_display(len(created), 'code')} created in batch {batch!r}."
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
class ExperimentAdmin(ForgetsCachedReads):
    """Quotes read running experiments through pricing's cache: a save (its variants in the
    same transaction) or a delete, one or many, forgets it."""

    forget = staticmethod(cache.experiments_changed)
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
        started = []
        for experiment in queryset:
            try:
                experiments.experiment_start(experiment=experiment)
            except (ValueError, ValidationError) as exc:
                self.message_user(request, f"{experiment}: {exc}", messages.ERROR)
            else:
                started.append(str(experiment))
        if started:
            self.message_user(request, f"Started: {list_display(started)}.", messages.SUCCESS)

    @admin.action(
        description="Stop the selected experiments (back to base prices)", permissions=["change"]
    )
    def stop(self, request, queryset):
        stopped = []
        for experiment in queryset:
            experiments.experiment_stop(experiment=experiment)
            stopped.append(str(experiment))
        self.message_user(
            request, f"Stopped: {list_display(stopped)}. Base prices apply.", messages.SUCCESS
        )

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
