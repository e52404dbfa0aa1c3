"""The hostile-input walk finds every route by itself (so it cannot pass by walking nothing),
and every URL pattern of the project is one it walks."""

from django.contrib import admin
from django.urls import reverse

from tests import hostile


def test_the_walk_finds_the_storefront_pages_the_api_operations_and_the_admin_pages():
    pages = {route.template for route in hostile.storefront_routes()}
    operations = {(route.template, route.methods[0]) for route in hostile.api_routes()}
    admin_pages = {route.template for route in hostile.admin_routes()}

    assert {"/", "/products/{slug}/", "/cart/add/", "/account/sign-in/"} <= pages
    assert ("/api/v1/orders/{number}/payments/", "POST") in operations
    assert ("/api/v1/accounts/addresses/{address_id}/", "PATCH") in operations
    assert "/admin/catalog/product/{object_id}/change/" in admin_pages
    assert {"/admin/login/", "/admin/autocomplete/", "/admin/catalog/"} <= admin_pages
    changes = [page for page in admin_pages if page.endswith("/{object_id}/change/")]
    assert len(changes) == len(admin.site._registry)
    assert len(operations) >= 30
    # API addresses the schema leaves out, and model admins' own pages.
    assert "/api/v1/payments/webhooks/{provider}/" in {r.template for r in hostile.api_routes()}
    assert {
        "/admin/pricing/price/import/",
        "/admin/inventory/stock/adjust/",
        "/admin/orders/order/{order_id}/act/{action}/",
        "/admin/catalog/product/{object_id}/delete/",
    } <= admin_pages


def test_every_url_pattern_of_the_project_is_walked():
    assert hostile.walked_patterns() == []


def test_a_pattern_left_out_of_the_walk_is_found(monkeypatch):
    monkeypatch.setattr(hostile, "admin_routes", lambda: [])
    missing = hostile.walked_patterns()
    assert "admin/orders/order/<int:order_id>/act/<str:action>/" in missing
    assert reverse("admin:pricing_price_import").lstrip("/") in missing


def test_api_bodies_follow_the_schema_down_to_nested_fields():
    route = next(
        r
        for r in hostile.api_routes()
        if r.template == "/api/v1/accounts/addresses/" and r.methods == ("POST",)
    )
    body = hostile.leaves(route.body_schema, iter(["x"] * 100))
    assert body["address"]["line1"] == "x"
