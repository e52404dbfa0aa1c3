"""Staff admin for orders: find, read, and act on orders through the state machine.

Orders are facts written by services: every field is read-only here. Staff
act through the buttons on an order's page (capture, ship, deliver, cancel,
cancel units of a line, refund), each a small form (`orders.admin_actions`)
whose only write is a call to a service, so transitions are checked,
recorded and published like everywhere else.
Notes are added inline and saved through ``services.order_note_add``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from accounts.dtos import PostalAddress
from kernel.adminkit import CsvExportMixin, ReadOnlyAdmin, list_column, money_column
from kernel.display import money_display
from orders import services
from orders.admin_actions import ACTIONS, available_actions
from orders.dtos import OrderError
from orders.exports import ORDER_COLUMNS
from orders.lifecycle import actor_of
from orders.models import (
    CompensationFailure,
    FulfilmentState,
    Order,
    OrderLine,
    OrderNote,
    OrderTransition,
    Payment,
    PaymentRefund,
    PaymentState,
    Shipment,
)
from orders.states import with_states

# --- read-only inlines ------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LineInline(ReadOnlyInline):
    model = OrderLine
    fields = [
        "sku",
        "title",
        "quantity",
        "shipped_quantity",
        "cancelled_quantity",
        "unit_price_shown",
        "line_total_shown",
        "tax_shown",
        "experiment_variant",
    ]
    readonly_fields = fields
    unit_price_shown = money_column("unit_price", currency="order.currency")
    line_total_shown = money_column("line_total", currency="order.currency")
    tax_shown = money_column("tax", currency="order.currency")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = [
        "provider",
        "reference",
        "status",
        "method",
        "amount_shown",
        "captured",
        "refunded",
        "failure_reason",
        "created_at",
    ]
    readonly_fields = fields
    amount_shown = money_column("amount", description="amount")
    captured = money_column("captured_amount", description="captured")
    refunded = money_column("refunded_amount", description="refunded")


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ["shipped_at", "carrier", "tracking_number", "contents", "actor"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines__order_line")

    @admin.display(description="contents")
    def contents(self, shipment: Shipment) -> str:
        return ", ".join(f"{sl.quantity} x {sl.order_line.sku}" for sl in shipment.lines.all())


class TransitionInline(ReadOnlyInline):
    model = OrderTransition
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    verbose_name_plural = "history"


class NoteInline(admin.TabularInline):
    model = OrderNote
    fields = ["created_at", "author", "text"]
    readonly_fields = ["created_at", "author"]
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False  # notes are a log: add, never edit


def _address(snapshot: dict) -> str:
    return format_html_join(
        mark_safe("<br>"), "{}", ((line,) for line in PostalAddress(**snapshot).lines())
    )


class StateFilter(admin.SimpleListFilter):
    """Filters on a state `orders.states.with_states` annotates (the admin's queryset has it)."""

    states: type[models.TextChoices]

    def lookups(self, request, model_admin):
        return self.states.choices

    def queryset(self, request, queryset):
        return queryset.filter(**{self.parameter_name: self.value()}) if self.value() else queryset


class PaymentStateFilter(StateFilter):
    title = "payment state"
    parameter_name = "payment_state"
    states = PaymentState


class FulfilmentStateFilter(StateFilter):
    title = "fulfilment state"
    parameter_name = "fulfilment_state"
    states = FulfilmentState


@admin.register(Order)
class OrderAdmin(CsvExportMixin, admin.ModelAdmin):
    csv_columns = ORDER_COLUMNS
    csv_filename = "orders.csv"
    change_list_template = "admin/csv_export_change_list.html"
    list_display = [
        "number",
        "placed_at",
        "email",
        "status",
        "total",
        "payment",
        "fulfilment",
    ]
    list_filter = ["status", PaymentStateFilter, FulfilmentStateFilter, "placed_at"]
    search_fields = ["number", "email", "lines__sku"]
    date_hierarchy = "placed_at"
    inlines = [LineInline, PaymentInline, ShipmentInline, TransitionInline, NoteInline]
    change_form_template = "admin/orders/order/change_form.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status",
                    "payment",
                    "fulfilment",
                    "placed_at",
                    "delivered_at",
                    "email",
                    "customer_id",
                ]
            },
        ),
        ("Money", {"fields": ["totals", "shipping_method", "vouchers"]}),
        ("Addresses", {"fields": ["shipping_to", "billing_to"]}),
    ]

    def get_queryset(self, request):
        return with_states(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False  # orders are placed by checkout, not typed in

    def has_delete_permission(self, request, obj=None):
        return False  # an order's history is kept; cancel instead

    @admin.display(description="total", ordering="grand_total")
    def total(self, order: Order) -> str:
        return money_display(order.grand_total, order.currency)

    vouchers = list_column("voucher_codes", description="voucher codes")

    @admin.display(description="totals")
    def totals(self, order: Order) -> str:
        parts = [
            ("Subtotal", order.subtotal),
            ("Discount", order.discount_total),
            ("Shipping", order.shipping_total),
            ("Tax (included)" if order.prices_include_tax else "Tax", order.tax_total),
            ("Total", order.grand_total),
            ("Refunded", order.refunded_total),
        ]
        return format_html_join(
            mark_safe("<br>"),
            "{}: {}",
            ((label, money_display(amount, order.currency)) for label, amount in parts),
        )

    @admin.display(description="shipping address")
    def shipping_to(self, order: Order) -> str:
        return _address(order.shipping_address)

    @admin.display(description="billing address")
    def billing_to(self, order: Order) -> str:
        return _address(order.billing_address)

    @admin.display(description="payment", ordering="payment_state")
    def payment(self, order: Order) -> str:
        return PaymentState(order.payment_state).label

    @admin.display(description="fulfilment", ordering="fulfilment_state")
    def fulfilment(self, order: Order) -> str:
        return FulfilmentState(order.fulfilment_state).label

    def save_model(self, request, obj, form, change):
        """Nothing on the order itself is editable; only notes are saved (save_formset)."""

    def save_formset(self, request, form, formset, change):
        """Only new notes are written, through the service; every other inline is read-only."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not OrderNote:
            return
        for note_form in formset.extra_forms:
            text = note_form.cleaned_data.get("text") if note_form.has_changed() else ""
            if text:
                formset.new_objects.append(
                    services.order_note_add(
                        order_id=form.instance.pk, author=actor_of(request.user), text=text
                    )
                )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        extra = {"order_actions": available_actions(order, request.user) if order else []}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        return [
            path(
                "<int:order_id>/act/<str:action>/",
                self.admin_site.admin_view(self.action_view),
                name="orders_order_act",
            ),
            *super().get_urls(),
        ]

    def action_view(self, request, order_id: int, action: str):
        form_class = ACTIONS.get(action)
        order = get_object_or_404(Order, pk=order_id)
        if form_class is None:
            raise PermissionDenied  # not an action we know: nothing to show
        if not request.user.has_perm(form_class.permission):
            raise PermissionDenied
        form = form_class(request.POST or None, order=order)
        if request.method == "POST" and form.is_valid():
            try:
                message = form.perform(order, actor_of(request.user))
            except OrderError as refused:  # on the field it names, if the form has it
                form.add_error(
                    refused.field if refused.field in form.fields else None, str(refused)
                )
            else:
                self.message_user(request, message, messages.SUCCESS)
                return redirect(reverse("admin:orders_order_change", args=[order.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "order": order,
            "form": form,
            "title": f"{form.title}: order {order.number}",
        }
        return TemplateResponse(request, "admin/orders/order/action.html", context)


@admin.register(PaymentRefund)
class PaymentRefundAdmin(ReadOnlyAdmin):
    list_display = ["payment", "refunded", "reason", "actor", "created_at"]
    fields = ["payment", "refunded", "reference", "reason", "actor", "created_at"]
    readonly_fields = fields
    refunded = money_column("amount", currency="payment.currency", description="amount")
    list_select_related = ["payment"]
    search_fields = ["payment__order__number", "reference"]


@admin.register(CompensationFailure)
class CompensationFailureAdmin(admin.ModelAdmin):
    """What a failed checkout could not free: staff free it by hand, then mark it resolved."""

    list_display = ["created_at", "order_number", "cart_id", "step", "error", "resolved"]
    list_filter = ["resolved", "step"]
    search_fields = ["order_number"]
    readonly_fields = ["order_number", "cart_id", "step", "error", "created_at"]
    actions = ["mark_resolved"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Mark as resolved", permissions=["change"])
    def mark_resolved(self, request, queryset) -> None:
        self.message_user(request, f"{queryset.update(resolved=True)} marked as resolved.")


from orders import shipping_admin  # noqa: E402, F401 - shipping methods, in a module of their own
