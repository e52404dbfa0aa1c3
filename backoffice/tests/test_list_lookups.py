"""A lookup typed into a list's address that the database cannot run is the list's own
"invalid parameters" answer (``?e=1``), never a 500 (backoffice/site.py)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

#: (lookup, value): each built by Django, refused by the database or by the value's type.
HOSTILE = [
    ("iregex", "(["),  # an unbalanced pattern
    ("range", "1,2"),  # Django splits no range: three characters for two placeholders
    ("in", "1,x"),
    ("exact", "abc"),  # no number, date or IP address
]


def _lists():
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        yield reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"), model, model_admin


def walk(client: Client) -> list[str]:
    server_errors = []
    for url, model, _model_admin in _lists():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) or field.name == "password":
                continue
            for lookup, value in HOSTILE:
                response = client.get(url, {f"{field.name}__{lookup}": value})
                if response.status_code >= 500:
                    server_errors.append(f"{url}?{field.name}__{lookup}={value}")
                elif response.status_code == 302:
                    assert response["Location"].endswith("?e=1"), url
    return server_errors


def test_no_lookup_of_any_list_is_a_500(admin_client):
    server_errors = walk(Client(raise_request_exception=False, **_session(admin_client)))
    assert not server_errors, "\n".join(server_errors)


@pytest.mark.services
@pytest.mark.usefixtures("postgres")
def test_no_lookup_of_any_list_is_a_500_on_postgresql(admin_client):
    """PostgreSQL refuses a malformed pattern and an IP address that is none (SQLite's are
    Python's functions, which raise otherwise)."""
    server_errors = walk(Client(raise_request_exception=False, **_session(admin_client)))
    assert not server_errors, "\n".join(server_errors)


def test_a_lookup_the_database_runs_still_filters(admin_client):
    response = admin_client.get("/admin/catalog/product/", {"title__regex": "^T"})
    assert response.status_code == 200
    response = admin_client.get("/admin/catalog/product/", {"id__in": "1,9"})
    assert response.status_code == 200


def _session(client: Client) -> dict:
    """The signed-in admin's cookie, on a client that answers a 500 instead of raising."""
    return {"HTTP_COOKIE": client.cookies.output(header="", sep=";").strip()}
