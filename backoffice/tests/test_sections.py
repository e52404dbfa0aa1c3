"""Each staff role sees its own section of the admin; plumbing is under "System"."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

pytestmark = pytest.mark.django_db

#: A page of each section, to knock on.
SECTION_PAGES = {
    "catalog": "admin:catalog_product_changelist",
    "pricing": "admin:pricing_price_changelist",
    "inventory": "admin:inventory_stock_changelist",
    "orders": "admin:orders_order_changelist",
    "reviews": "admin:reviews_review_changelist",
    "system": "admin:shared_delivery_changelist",
}
ROLES = {
    "Catalog manager": "catalog",
    "Pricing manager": "pricing",
    "Inventory clerk": "inventory",
    "Order fulfilment": "orders",
    "Review moderator": "reviews",
}
SYSTEM_PAGES = [
    "admin:shared_outboxevent_changelist",
    "admin:shared_delivery_changelist",
    "admin:shared_processedevent_changelist",
    "admin:pricing_skuplacement_changelist",
]


def sections(client) -> dict[str, list[str]]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {
        app["app_label"]: [model["object_name"] for model in app["models"]]
        for app in response.context["app_list"]
    }


@pytest.mark.parametrize(("role", "own"), ROLES.items())
def test_a_role_sees_its_own_section_and_is_refused_the_others(client, role, own):
    user = User.objects.create_user(f"{own}-staff", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)

    assert set(sections(client)) == {own}
    for section, page in SECTION_PAGES.items():
        status = client.get(reverse(page)).status_code
        assert status == (200 if section == own else 403), (section, status)
    for page in SYSTEM_PAGES:
        assert client.get(reverse(page)).status_code == 403, page


def test_superusers_find_the_plumbing_under_system(client):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))

    found = sections(client)

    assert found["system"] == ["Delivery", "OutboxEvent", "ProcessedEvent", "SkuPlacement"]
    assert "SkuPlacement" not in found["pricing"]
    assert "shared" not in found
    for page in SYSTEM_PAGES:
        assert client.get(reverse(page)).status_code == 200, page


def test_an_operator_granted_the_outbox_in_person_sees_that_part_of_system(client):
    operator = User.objects.create_user("ops", is_staff=True)
    operator.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    client.force_login(operator)

    assert sections(client) == {"system": ["Delivery"]}
    assert client.get(reverse("admin:shared_outboxevent_changelist")).status_code == 403


@pytest.mark.parametrize("selected", ["abc", "1.5", "", "99999999999999999999"])
def test_a_selection_that_names_no_row_is_refused_on_every_list(admin_client, selected):
    """A hand-made action request: a 400 naming the field (Django's own raised a 500)."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User.objects.get(username="admin")
    server_errors = []
    for model, model_admin in admin.site._registry.items():
        actions = list(model_admin.get_actions(request))
        if not actions:
            continue
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        data = {"action": actions[0], "index": "0", "_selected_action": [selected]}
        response = admin_client.post(url, data)
        if response.status_code >= 500:
            server_errors.append(f"{url}: {response.status_code}")
        elif not selected.isdigit() and meta.pk.get_internal_type().endswith("AutoField"):
            assert response.status_code == 400, url
            assert b"_selected_action" in response.content
    assert not server_errors


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999", "10000"])
def test_a_date_drill_down_past_the_calendar_is_refused_on_every_list(admin_client, value):
    """A year, month or day no calendar has (typed into the address bar): the list's own
    "invalid parameters" answer, as for "abc", not a 500 (Python's datetime overflowed)."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        if not model_admin.date_hierarchy:
            continue
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        field = model_admin.date_hierarchy
        for query in (
            {f"{field}__year": value},
            {f"{field}__year": "2026", f"{field}__month": value},
            {f"{field}__year": "2026", f"{field}__month": "1", f"{field}__day": value},
        ):
            response = admin_client.get(url, query)
            assert response.status_code == 302, (url, query, response.status_code)
            assert response["Location"].endswith("?e=1"), (url, query)


@pytest.mark.parametrize("value", ["0", "-1", "10000", "99999999999999999999", "2026,0"])
@pytest.mark.parametrize("lookup", ["year", "year__gt", "year__lte", "iso_year", "year__in"])
def test_a_year_no_date_has_in_any_lookup_of_any_list_is_refused(admin_client, lookup, value):
    """``?created_at__year=0`` on a list whose drill-down is another field (or none) was a
    500: Django allows a list's lookups on its model's own fields, and turns the year into
    dates only when writing the query. It is the list's "invalid parameters" answer now."""
    from django.contrib import admin
    from django.db import models

    server_errors, answered = [], 0
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        dated = [f.name for f in meta.concrete_fields if isinstance(f, models.DateField)]
        for field in dated:
            if lookup == "year__in" and "," not in value:
                continue
            response = admin_client.get(url, {f"{field}__{lookup}": value})
            answered += 1
            if response.status_code >= 500:
                server_errors.append(f"{url}?{field}__{lookup}={value}")
            elif response.status_code == 302:
                assert response["Location"].endswith("?e=1"), url
    assert not server_errors
    assert answered or lookup == "year__in"


def test_a_year_every_date_has_still_filters_a_list(admin_client):
    response = admin_client.get("/admin/catalog/product/", {"created_at__year": "2026"})
    assert response.status_code == 200
