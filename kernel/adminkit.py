"""Admin building blocks every context uses the same way."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the system writes (ledgers, histories, outbox): staff look, nobody edits.

    Such rows change only through their context's services, which keep the
    invariants and publish the events; an admin form would bypass both.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
