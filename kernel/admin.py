"""The outbox in the admin: what was published, where it went, what failed, what was handled."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from kernel import relay
from kernel.adminkit import SystemAdmin
from kernel.display import list_display
from kernel.models import Delivery, OutboxEvent, ProcessedEvent


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["subscriber", "status", "attempts", "next_attempt_at", "delivered_at", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(SystemAdmin):
    list_display = ["event_type", "event_id", "occurred_at", "fanned_out_at"]
    list_filter = ["event_type"]
    search_fields = ["event_id", "event_type"]
    date_hierarchy = "occurred_at"
    inlines = [DeliveryInline]
    exclude = ["payload"]
    readonly_fields = ["contents"]

    @admin.display(description="payload")
    def contents(self, event: OutboxEvent) -> str:
        """The payload as a field/value table: staff read events, they do not parse JSON."""
        return format_html(
            "<table>{}</table>",
            format_html_join(
                "",
                "<tr><th>{}</th><td>{}</td></tr>",
                ((name, _text(value)) for name, value in event.payload.items()),
            ),
        )


def _text(value) -> str:
    """A payload value as text: lists comma-separated, nested objects as key: value pairs."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return list_display(_text(item) for item in value)
    return "—" if value is None else str(value)


@admin.register(Delivery)
class DeliveryAdmin(SystemAdmin):
    list_display = ["event", "subscriber", "status", "attempts", "next_attempt_at", "short_error"]
    list_filter = ["status", "subscriber"]
    list_select_related = ["event"]
    search_fields = ["subscriber", "event__event_id", "event__event_type"]
    actions = ["retry_now"]

    @admin.display(description="last error")
    def short_error(self, delivery: Delivery) -> str:
        return delivery.last_error.strip().splitlines()[-1][:120] if delivery.last_error else ""

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("shared.change_delivery")

    @admin.action(description="Retry the selected deliveries now", permissions=["retry"])
    def retry_now(self, request, queryset):
        count = relay.retry_now(queryset)
        self.message_user(request, f"{count} deliveries queued for retry.", messages.SUCCESS)


@admin.register(ProcessedEvent)
class ProcessedEventAdmin(SystemAdmin):
    """The inbox: which subscriber handled which event (and so will skip it if redelivered)."""

    list_display = ["subscriber", "event_id", "processed_at"]
    list_filter = ["subscriber"]
    search_fields = ["event_id", "subscriber"]
    date_hierarchy = "processed_at"
