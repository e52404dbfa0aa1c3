"""The product's admin page shows its variants' prices and stock; lists show names by SKU."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from catalog import api as catalog_api
from inventory import api as inventory_api
from inventory.dtos import Line
from kernel.tests.queries import captured_queries
from pricing import api as pricing_api
from tests.builders import sweater, upsert
from tests.shop import eur


def product_page() -> str:
    product = catalog_api.product_by_sku(sku="SW-1")
    return reverse("admin:catalog_product_change", args=[product.id])


def test_the_product_page_shows_each_variants_prices_and_stock(shop, superuser_client):
    response = superuser_client.get(product_page())

    panel = response.content.decode().split('id="product-offer"')[1]
    assert "SW-1-S" in panel
    assert "S / Red" in panel
    assert "€18.99 <del>€29.99</del>" in panel
    assert "¥2,900" in panel
    assert "MAIN: 8 on hand, 7 available" in panel  # the order brought one unit, took one
    assert "EAST: 2 on hand, 2 available" in panel
    assert f"{reverse('admin:pricing_price_changelist')}?q=SW-1-S" in panel
    assert f"{reverse('admin:inventory_stock_changelist')}?q=SW-1-S" in panel


def test_a_catalog_manager_sees_the_product_without_prices_or_stock(shop, client):
    user = User.objects.create_user("cat", is_staff=True)
    user.groups.add(Group.objects.get(name="Catalog manager"))
    client.force_login(user)

    panel = client.get(product_page()).content.decode().split('id="product-offer"')[1]

    assert "Edit prices" not in panel
    assert "€18.99" not in panel
    assert "Edit stock" not in panel


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:pricing_price_changelist",
        "admin:inventory_stock_changelist",
        "admin:inventory_reservation_changelist",
    ],
)
def test_sku_lists_show_names_and_cost_the_same_queries_however_long(
    shop, superuser_client, changelist
):
    inventory_api.reserve(owner="cart:1", lines=[Line("SW-1-S", 1)])
    url = reverse(changelist)
    superuser_client.get(url)  # what every request reads once cached (the signed-in user)
    with captured_queries() as few:
        content = superuser_client.get(url).content.decode()
    assert "Wool Sweater (S / Red)" in content

    upsert(sweater(sku="SW-2", title="Cotton Sweater"))
    for size in ("S", "M", "L"):
        inventory_api.receive(warehouse_code="MAIN", sku=f"SW-2-{size}", quantity=3)
        inventory_api.reserve(owner=f"cart:{size}", lines=[Line(f"SW-2-{size}", 1)])
        pricing_api.set_price(sku=f"SW-2-{size}", price=eur("9.99"))
    with captured_queries() as more:
        content = superuser_client.get(url).content.decode()
    assert "Cotton Sweater (L / Red)" in content
    assert len(more) == len(few)


def test_sku_lists_are_searchable_by_product_name(shop, superuser_client):
    response = superuser_client.get(reverse("admin:pricing_price_changelist"), {"q": "wool"})
    assert {price.sku for price in response.context["cl"].result_list} == {
        "SW-1-S",
        "SW-1-M",
        "SW-1-L",
    }
    response = superuser_client.get(reverse("admin:inventory_stock_changelist"), {"q": "S / Red"})
    assert response.status_code == 200
    response = superuser_client.get(reverse("admin:inventory_stock_changelist"), {"q": "SW-1-M"})
    assert {stock.sku for stock in response.context["cl"].result_list} == {"SW-1-M"}
