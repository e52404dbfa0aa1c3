"""The outbox in the admin: what was published, where it went, what failed, what was handled.

Every database has an outbox, a delivery table and an inbox (one per
context in split mode, kernel.databases), and no query spans two: each
page shows one database's, chosen with the "database" filter
(``?database=<alias>``, ``default`` when absent or unknown). The choice
travels with the admin's preserved filters, so an event's page, its
deliveries and the retry action read and write the database the list
showed.
"""

from urllib.parse import parse_qs

from django.contrib import admin, messages
from django.db import DEFAULT_DB_ALIAS
from django.utils.html import format_html, format_html_join

from kernel import relay
from kernel.adminkit import SystemAdmin
from kernel.databases import all_databases
from kernel.display import count_display, list_display
from kernel.models import Delivery, OutboxEvent, ProcessedEvent

DATABASE_PARAMETER = "database"


def database_shown(request) -> str:
    """The database whose outbox the request looks at: from the query, or from the
    list's filters an object's page preserves; ``default`` unless a known alias."""
    chosen = request.GET.get(DATABASE_PARAMETER)
    if chosen is None:
        preserved = parse_qs(request.GET.get("_changelist_filters", ""))
        chosen = preserved.get(DATABASE_PARAMETER, [DEFAULT_DB_ALIAS])[0]
    return chosen if chosen in all_databases() else DEFAULT_DB_ALIAS


class DatabaseFilter(admin.SimpleListFilter):
    """One database's rows at a time: rows of two databases cannot be listed together."""

    title = "database"
    parameter_name = DATABASE_PARAMETER

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.shown = database_shown(request)

    def lookups(self, request, model_admin):
        return [(alias, alias) for alias in all_databases()]

    def queryset(self, request, queryset):
        return queryset  # already read from it: OneDatabaseAdmin.get_queryset

    def choices(self, changelist):
        """Each database, the one shown selected; no "All"."""
        for alias, title in self.lookup_choices:
            yield {
                "selected": alias == self.shown,
                "query_string": changelist.get_query_string({self.parameter_name: alias}),
                "display": title,
            }


class OneDatabaseAdmin(SystemAdmin):
    """A system table's admin reading (and acting on) the database the request chose."""

    def get_queryset(self, request):
        return super().get_queryset(request).using(database_shown(request))

    def get_list_filter(self, request):
        return [DatabaseFilter, *super().get_list_filter(request)]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["subscriber", "status", "attempts", "next_attempt_at", "delivered_at", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).using(database_shown(request))


@admin.register(OutboxEvent)
class OutboxEventAdmin(OneDatabaseAdmin):
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
class DeliveryAdmin(OneDatabaseAdmin):
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
        self.message_user(
            request,
            f"{count_display(count, 'delivery', 'deliveries')} queued for retry.",
            messages.SUCCESS,
        )


@admin.register(ProcessedEvent)
class ProcessedEventAdmin(OneDatabaseAdmin):
    """The inbox: which subscriber handled which event (and so will skip it if redelivered)."""

    list_display = ["subscriber", "event_id", "processed_at"]
    list_filter = ["subscriber"]
    search_fields = ["event_id", "subscriber"]
    date_hierarchy = "processed_at"
