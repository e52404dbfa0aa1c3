"""What a cart sells: a product that went off sale (archived, deleted) no longer, a product
sold in variants only by one of its variants.

Pricing keeps an archived product's prices (it may be published again) and
a price was all a cart asked for: an app holding a SKU (a synchronised
catalog, a cart filled days ago) added an archived or deleted product, and a
cart holding one was checked out and placed, while the product's own page
was a 404. Here, not in orders' tests, because it changes the catalog the
way staff do (its services), which no other context may import.
"""

import pytest
from django.test import Client

from catalog import services as catalog_services
from catalog.models import Product
from orders.models import Order
from tests.builders import offer_product

pytestmark = pytest.mark.django_db

API = "/api/v1"
DETAILS = {
    "email": "guest@example.com",
    "shipping_address": {
        "full_name": "Ada Lovelace",
        "line1": "Hauptstr. 1",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
    },
    "shipping_method": "standard",
}


def post(client, url, data=None, **headers):
    return client.post(f"{API}{url}", data or {}, content_type="application/json", **headers)


def off_sale(sku: str, how: str) -> None:
    product = Product.objects.get(sku=sku)
    if how == "archived":
        catalog_services.products_set_status(product_ids=[product.pk], status="archived")
    else:
        catalog_services.products_delete(product_ids=[product.pk])


@pytest.mark.parametrize("how", ["archived", "deleted"])
def test_a_product_no_longer_on_sale_is_neither_added_nor_checked_out(how):
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=20)
    app = Client()
    token = post(app, "/cart/").json()["token"]
    assert post(app, f"/cart/{token}/lines/", {"sku": "TEA-1", "quantity": 2}).status_code == 201

    off_sale("TEA-1", how)
    other = post(app, "/cart/").json()["token"]
    added = post(app, f"/cart/{other}/lines/", {"sku": "TEA-1", "quantity": 1})
    more = post(app, f"/cart/{token}/lines/", {"sku": "TEA-1", "quantity": 1})
    cart = app.get(f"{API}/cart/{token}/").json()
    preview = post(app, f"/cart/{token}/checkout/", DETAILS)
    placed = post(app, "/orders/", {"cart": token, **DETAILS}, HTTP_IDEMPOTENCY_KEY="place-1")

    for refused in (added, more):  # a new line, or more on the line the cart holds
        assert (refused.status_code, refused.json()["code"]) == (404, "not_for_sale")
    assert [(line["quantity"], line["available"]) for line in cart["lines"]] == [(2, False)]
    for refused in (preview, placed):
        assert refused.status_code == 409, refused.content
        assert refused.json()["code"] == "not_for_sale"
    assert not Order.objects.exists()


def test_a_product_on_sale_is_added_checked_out_and_placed():
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=20)
    app = Client()
    token = post(app, "/cart/").json()["token"]
    assert post(app, f"/cart/{token}/lines/", {"sku": "TEA-1", "quantity": 2}).status_code == 201
    assert post(app, f"/cart/{token}/checkout/", DETAILS).status_code == 200
    placed = post(app, "/orders/", {"cart": token, **DETAILS}, HTTP_IDEMPOTENCY_KEY="p")
    assert placed.status_code == 201, placed.content


def test_a_products_code_sold_in_variants_is_told_to_choose_one():
    """A search card's ``sku`` is the product's code: added to a cart, it was a 404 "This
    product cannot be bought at the moment." for a product in stock. It is a 422 on ``sku``
    with the variants to choose from."""
    from tests.builders import build_structure, priced, sweater, upsert

    build_structure()
    upsert(sweater())
    for size in ("S", "M", "L"):
        priced(f"SW-1-{size}", "49.00")
    app = Client()
    token = post(app, "/cart/").json()["token"]

    refused = post(app, f"/cart/{token}/lines/", {"sku": "SW-1", "quantity": 1})
    chosen = post(app, f"/cart/{token}/lines/", {"sku": "SW-1-M", "quantity": 1})

    assert refused.status_code == 422, refused.content
    problem = refused.json()
    assert (problem["code"], problem["variant_skus"]) == (
        "variant_required",
        ["SW-1-S", "SW-1-M", "SW-1-L"],
    )
    assert list(problem["errors"]) == ["sku"]
    assert chosen.status_code == 201
