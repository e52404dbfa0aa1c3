"""Admin building blocks every context uses the same way.

Money and lists are shown through ``kernel.display``, so every admin page
reads the same: ``money_column`` for amounts, ``list_column`` for lists,
``DecimalInput`` for decimals typed into forms.
"""

import csv
import itertools
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AdminTextInputWidget, AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path, reverse

from kernel.display import list_display, money_display, number_display
from kernel.forms import AmountField, ShownTextField, WholeNumberField


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


class ForgetsCachedReads(admin.ModelAdmin):
    """An admin of rows a context reads through its cache: ``forget`` (the context's own
    ``*_changed``, which forgets on commit too) after every save and every delete, one or
    many (the changelist's "delete selected" action deletes through ``delete_queryset``)."""

    forget: staticmethod

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.forget()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.forget()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.forget()


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


class SystemAdmin(ReadOnlyAdmin):
    """Plumbing (outbox, deliveries, inbox, projections): not part of any staff role.

    Staff roles run the shop; these tables are how the contexts keep each
    other informed, read when something is stuck. The back office's admin
    site lists every ``SystemAdmin`` under one "System" section, open to
    superusers and to an operator granted the model's permission in person:
    a permission a role group holds (the Pricing manager holds all of
    pricing's) does not open plumbing.
    """

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not user.is_active:
            return False
        opts = self.opts
        return user.is_superuser or f"{opts.app_label}.view_{opts.model_name}" in (
            user.get_user_permissions()
        )


def money_column(amount: str, *, currency: str = "currency", description: str = "", **options):
    """A list or read-only column showing ``obj.<amount>`` as money in ``obj.<currency>``.

    Assign it to a ModelAdmin or inline attribute (``price = money_column("amount")``)
    and name that attribute in ``list_display``, ``fields`` or ``readonly_fields``.

    ``currency`` may be a dotted path (``"payment.currency"``) for rows that
    keep their currency on a parent. Sorts by the amount field.
    """

    def column(_model_admin, obj) -> str:
        holder = obj
        for part in currency.split("."):
            holder = getattr(holder, part)
        return money_display(getattr(obj, amount), holder)

    return admin.display(
        description=description or amount.replace("_", " "),
        ordering=options.pop("ordering", amount),
        **options,
    )(column)


def list_column(field: str, *, description: str = ""):
    """A list or read-only column showing a list field as comma-separated text."""
    return admin.display(description=description or field.replace("_", " "))(
        lambda _model_admin, obj: list_display(getattr(obj, field))
    )


class DecimalInput(forms.NumberInput):
    """A number box showing a stored decimal without the storage's trailing zeros.

    Amounts are stored with three decimals; ``18.990`` in a price box reads
    as a typo. ``min_places``: 2 for amounts. Any precision may be typed
    (``step="any"``); the model field's own validation still applies.
    """

    def __init__(self, attrs=None, *, min_places: int = 0):
        super().__init__({"step": "any", **(attrs or {})})
        self.min_places = min_places

    def format_value(self, value):
        if isinstance(value, Decimal):
            return number_display(value, min_places=self.min_places)
        return super().format_value(value)


#: The form field of every model number in the admin: Django's read with ``int()`` and
#: ``Decimal()``, which take "1e3", "1_0" and other scripts' digits ("\u0663") as numbers,
#: so a typo was saved as another number. The back office makes them the defaults
#: (``backoffice.adminconfig``); ``formfield_overrides`` below only add widgets.
PLAIN_NUMBER_FIELDS = {
    models.IntegerField: {"form_class": WholeNumberField},
    models.BigIntegerField: {"form_class": WholeNumberField},  # Django has its own default
    models.DecimalField: {"form_class": AmountField},
}
#: The form field of every model text in the admin: Django's ``CharField`` strips white
#: space only, so a name of a pasted direction mark alone was saved as filled in and
#: printed as nothing on every page and label (``kernel.forms.ShownTextField``). A model
#: field looks its defaults up along its classes: a ``SlugField`` keeps its own form field
#: (which takes no invisible character) with Django's admin box, instead of inheriting
#: ``CharField``'s, whose form class cannot take a slug's arguments.
SHOWN_TEXT_FIELDS = {
    models.CharField: {"form_class": ShownTextField},
    models.TextField: {"form_class": ShownTextField},
    models.SlugField: {"widget": AdminTextInputWidget},
}
#: ``formfield_overrides`` for admins whose decimal fields are amounts of money.
AMOUNT_INPUTS = {models.DecimalField: {"widget": DecimalInput(min_places=2)}}
#: ``formfield_overrides`` for admins whose decimal fields are plain numbers.
NUMBER_INPUTS = {models.DecimalField: {"widget": DecimalInput()}}


class CommaSeparatedField(forms.CharField):
    """A list of codes (SKUs, slugs) typed as ``A, B, C``, stored as a JSON list."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [item.strip() for item in text.split(",") if item.strip()]


class SkuNamesMixin:
    """A ModelAdmin of rows keyed by ``sku`` that shows product names and finds rows by name.

    The names are the catalog's, which the kernel does not know: a context
    above the catalog sets ``names_by_sku`` and ``skus_named`` to
    ``catalog.api``'s functions. Names are fetched once per list page, for
    the page's SKUs, so the list costs the same queries whatever its length;
    a search matches SKUs as before, or product and variant names.
    """

    names_by_sku = None  # staticmethod(catalog.api.names_by_sku)
    skus_named = None  # staticmethod(catalog.api.skus_named)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)  # evaluated once; the template reuses the rows
        names = self.names_by_sku(skus=sorted({row.sku for row in rows}))
        for row in rows:
            row.sku_name = names.get(row.sku)
        return changelist

    @admin.display(description="product")
    def product_name(self, row) -> str:
        name = getattr(row, "sku_name", None)
        return str(name) if name else "—"

    def get_search_results(self, request, queryset, search_term):
        searched, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        skus = self.skus_named(text=search_term) if search_term else []
        if not skus:
            return searched, may_have_duplicates
        return (
            queryset.filter(models.Q(pk__in=searched.values("pk")) | models.Q(sku__in=skus)),
            may_have_duplicates,
        )


class _Echo:
    """A file-like object whose ``write`` hands the line back (for streaming CSV)."""

    def write(self, line: str) -> str:
        return line


#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
_FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """``value`` as a CSV cell a spreadsheet shows rather than runs: a text that begins with
    a formula's sign (a shopper's e-mail may begin "=" or "+") gets a leading apostrophe,
    which spreadsheets read as "this is text". Numbers stay numbers, so amounts still sum."""
    if isinstance(value, str) and value.startswith(_FORMULA_SIGNS):
        return "'" + value
    return value


class CsvExportMixin:
    """An "Export CSV" link on a changelist, exporting what the list shows: filters and search.

    The export view rebuilds the changelist from the same query string, so
    it exports every row the list would page through, streamed in chunks
    (thousands of orders do not sit in memory). Subclasses name the
    ``csv_columns`` (header, function of a row) and the ``csv_filename``;
    the changelist template shows ``csv_export_url``. Text cells are written as
    ``spreadsheet_cell``s.
    """

    csv_filename = "export.csv"
    csv_columns: list[tuple[str, object]] = []

    def _export_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_export"

    def get_urls(self):
        view = self.admin_site.admin_view(self.export_csv_view)
        return [path("export.csv", view, name=self._export_url_name()), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        url = reverse(f"admin:{self._export_url_name()}")
        query = request.GET.urlencode()
        extra = {"csv_export_url": f"{url}?{query}" if query else url}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def export_csv_queryset(self, request):
        """The list's rows, filtered and searched as on the page, without paging."""
        return self.get_changelist_instance(request).get_queryset(request)

    def export_csv_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.export_csv_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest("Unknown filter in the query string.")
        writer = csv.writer(_Echo())
        rows = (
            writer.writerow([spreadsheet_cell(column(row)) for _, column in self.csv_columns])
            for row in queryset.iterator(chunk_size=2000)
        )
        header = writer.writerow([name for name, _ in self.csv_columns])
        response = StreamingHttpResponse(
            itertools.chain([header], rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        return response
