"""Admin building blocks every context uses the same way."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


class _AutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, minus its 500 on a value of the wrong type.

    The widget looks its selected values up in the database as they came
    (``?parent=abc`` on an add page, a forged POST), and the lookup of a
    value the key field cannot hold raises instead of matching nothing.
    Such values are dropped before the lookup; the form still reports them.
    """

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if _fits(target, v)], attr)


def _fits(field, value) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class AutocompleteAdmin(admin.ModelAdmin):
    """A ModelAdmin whose ``autocomplete_fields`` use the widget above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = _AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
