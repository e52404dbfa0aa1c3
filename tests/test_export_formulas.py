"""The orders export opens safely in a spreadsheet (the back office's ``CsvExportMixin``)."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from backoffice.tests.test_exports import rows
from orders.models import Order
from tests.shop import order_placed_days_ago


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(shop, superuser_client):
    """A shopper's e-mail may begin with "=" or "+" (both valid in an address's local part):
    opened in a spreadsheet, such a cell would be evaluated. Text cells that begin with
    a formula's sign are written with a leading apostrophe; amounts stay numbers."""
    email = "=2+5+cmd|'/Ccalc'!A0@example.com"
    assert forms.EmailField().clean(email) == email  # what checkout's form accepts
    Order.objects.filter(pk=shop.pk).update(email=email)
    order_placed_days_ago(1)
    Order.objects.exclude(pk=shop.pk).update(email="+1-555@example.com")

    exported = {
        row["number"]: row
        for row in rows(superuser_client.get(reverse("admin:orders_order_export")))
    }

    assert exported[shop.number]["email"] == "'" + email
    assert {row["email"] for row in exported.values()} == {"'" + email, "'+1-555@example.com"}
    assert exported[shop.number]["total"] == "18.89"
