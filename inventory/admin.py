"""Staff admin for inventory's own models.

Quantities are never edited here: stock rows are read-only and change only
through the receipt, adjustment and import pages, which call services (so
every change has its ledger line and its events). The ledger, reservations
and allocations are read-only lists.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from catalog import api as catalog_api
from inventory import selectors, services, stock_import
from inventory.dtos import (
    InsufficientStock,
    InvalidQuantity,
    InventoryError,
    UnknownSku,
    UnknownWarehouse,
)
from inventory.forms import AdjustmentForm, ReceiptForm, StockImportForm
from inventory.models import Allocation, Movement, Reservation, Stock, Warehouse
from kernel.adminkit import CsvExportMixin, ReadOnlyAdmin, SkuNamesMixin


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country", "priority"]
    list_editable = ["priority"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        services.warehouse_save(warehouse=obj)

    def has_delete_permission(self, request, obj=None):
        return False  # stock and its ledger refer to it


@admin.register(Stock)
class StockAdmin(CsvExportMixin, SkuNamesMixin, ReadOnlyAdmin):
    csv_filename = "stock.csv"
    csv_columns = [
        ("sku", lambda stock: stock.sku),
        ("warehouse", lambda stock: stock.warehouse.code),
        ("on_hand", lambda stock: stock.on_hand),
        ("allocated", lambda stock: stock.allocated),
        ("reserved", lambda stock: stock.reserved_units),
        ("available", lambda stock: stock.on_hand - stock.allocated - stock.reserved_units),
    ]
    names_by_sku = staticmethod(catalog_api.names_by_sku)
    skus_named = staticmethod(catalog_api.skus_named)
    list_display = [
        "sku",
        "product_name",
        "warehouse",
        "on_hand",
        "allocated",
        "reserved",
        "available",
    ]
    list_filter = ["warehouse"]
    list_select_related = ["warehouse"]
    search_fields = ["sku"]
    change_list_template = "admin/inventory/stock/change_list.html"

    def get_queryset(self, request):
        unexpired = Q(reservations__expires_at__gt=timezone.now())
        return (
            super()
            .get_queryset(request)
            .annotate(reserved_units=Sum("reservations__quantity", filter=unexpired, default=0))
        )

    @admin.display(description="reserved", ordering="reserved_units")
    def reserved(self, stock: Stock) -> int:
        return stock.reserved_units

    @admin.display(description="available")
    def available(self, stock: Stock) -> int:
        return stock.on_hand - stock.allocated - stock.reserved_units

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("receive/", view(self.receive_view), name="inventory_stock_receive"),
            path("adjust/", view(self.adjust_view), name="inventory_stock_adjust"),
            path("import/", view(self.import_view), name="inventory_stock_import"),
            path("low-stock/", view(self.low_stock_view), name="inventory_stock_low"),
            *super().get_urls(),
        ]

    def _require(self, request, permission: str) -> None:
        if not request.user.has_perm(f"inventory.{permission}"):
            raise PermissionDenied

    def _page(self, request, template: str, title: str, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            f"admin/inventory/stock/{template}",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}
            | context,
        )

    def _done(self, request, message: str):
        self.message_user(request, message, messages.SUCCESS)
        return redirect(reverse("admin:inventory_stock_changelist"))

    def receive_view(self, request):
        self._require(request, "receive_stock")
        form = ReceiptForm(request.POST or None)
        if form.is_valid() and self._apply(form, services.stock_receive, request, "quantity"):
            data = form.cleaned_data
            return self._done(request, f"Received {data['quantity']} x {data['sku']}.")
        return self._page(request, "form.html", "Goods receipt", form=form)

    def adjust_view(self, request):
        self._require(request, "adjust_stock")
        form = AdjustmentForm(request.POST or None)
        if form.is_valid() and self._apply(
            form, services.stock_adjust, request, "quantity_delta", "reason"
        ):
            data = form.cleaned_data
            return self._done(request, f"Adjusted {data['sku']} by {data['quantity_delta']}.")
        return self._page(request, "form.html", "Stock adjustment", form=form)

    def _apply(self, form, service, request, *fields: str) -> bool:
        """Call ``service`` with the form's data; put its refusal on the right field."""
        data = form.cleaned_data
        try:
            service(
                warehouse_code=data["warehouse"].code,
                sku=data["sku"],
                reference=data["reference"],
                actor=request.user.get_username(),
                **{field: data[field] for field in fields},
            )
        except UnknownSku:
            form.add_error("sku", "No product with this SKU in the catalog.")
        except UnknownWarehouse:
            form.add_error("warehouse", "No warehouse with this code.")
        except InsufficientStock as exc:
            (shortage,) = exc.shortages
            form.add_error(
                fields[0],
                f"Only {shortage.available} units of {shortage.sku} are not held by orders here.",
            )
        except InvalidQuantity as exc:
            form.add_error(fields[0], str(exc))
        except InventoryError as exc:
            form.add_error(None, str(exc))
        return not form.errors

    def import_view(self, request):
        self._require(request, "import_stock")
        form = StockImportForm(request.POST or None, request.FILES or None)
        errors = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            parsed = stock_import.parse(upload.read())
            errors = parsed.errors
            if parsed.ok:
                try:
                    changed = services.stock_import(
                        counts=parsed.counts,
                        reference=f"import {upload.name}"[:100],
                        actor=request.user.get_username(),
                    )
                except InventoryError as exc:  # stock moved between the check and the import
                    form.add_error("file", f"Nothing imported: {exc}. Try again.")
                else:
                    return self._done(
                        request,
                        stock_import.summary(len(parsed.counts), changed),
                    )
        return self._page(request, "import.html", "Import stock counts", form=form, errors=errors)

    def low_stock_view(self, request):
        self._require(request, "view_stock")
        threshold = settings.INVENTORY_LOW_STOCK_THRESHOLD
        rows = selectors.low_stock(threshold=threshold)
        return self._page(request, "low_stock.html", "Low stock", rows=rows, threshold=threshold)


@admin.register(Reservation)
class ReservationAdmin(SkuNamesMixin, ReadOnlyAdmin):
    names_by_sku = staticmethod(catalog_api.names_by_sku)
    skus_named = staticmethod(catalog_api.skus_named)
    list_display = [
        "owner",
        "sku",
        "product_name",
        "warehouse",
        "quantity",
        "expires_at",
        "expired",
    ]
    list_select_related = ["stock__warehouse"]
    list_filter = ["stock__warehouse"]
    search_fields = ["owner", "sku"]

    @admin.display(description="warehouse", ordering="stock__warehouse__priority")
    def warehouse(self, reservation: Reservation) -> str:
        return reservation.stock.warehouse.code

    @admin.display(boolean=True, description="expired")
    def expired(self, reservation: Reservation) -> bool:
        return reservation.is_expired


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["order_ref", "sku", "warehouse", "quantity", "created_at"]
    list_select_related = ["stock__warehouse"]
    list_filter = ["stock__warehouse"]
    search_fields = ["order_ref", "sku"]

    @admin.display(description="warehouse", ordering="stock__warehouse__priority")
    def warehouse(self, allocation: Allocation) -> str:
        return allocation.stock.warehouse.code


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "sku",
        "warehouse",
        "on_hand_delta",
        "allocated_delta",
        "reason",
        "reference",
        "actor",
    ]
    list_filter = ["kind", "stock__warehouse"]
    list_select_related = ["stock__warehouse"]
    search_fields = ["stock__sku", "reference", "reason", "actor"]
    date_hierarchy = "created_at"

    @admin.display(description="SKU", ordering="stock__sku")
    def sku(self, movement: Movement) -> str:
        return movement.stock.sku

    @admin.display(description="warehouse")
    def warehouse(self, movement: Movement) -> str:
        return movement.stock.warehouse.code
