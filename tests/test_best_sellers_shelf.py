"""The home page's best sellers: only what a shopper can buy now, whatever sold best.

Orders rank what sold; the shelf must still leave out a product archived
since, one not published yet, one without a price and one out of stock,
even when each of them outsold everything on the shelf.
"""

import re

import pytest
from django.core.cache import cache

from inventory import api as inventory_api
from kernel import relay
from orders.models import Order, OrderStatus
from orders.tests.factories import line, place
from tests.builders import offer_product, product, upsert

pytestmark = pytest.mark.django_db

# (sku, units sold): every product that must not show outsold the two that must.
SOLD = [
    ("ARCHIVED", 9), ("DRAFT", 8), ("NO-PRICE", 7), ("SOLD-OUT", 6), ("LIVE-1", 2), ("LIVE-2", 1)
]  # fmt: skip


@pytest.fixture
def sales(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    for index in range(30):  # more than a page: the home page shows its shelves
        offer_product(sku=f"TEA-{index}", title=f"Tea {index}", slug=f"tea-{index}",
                      price="10.00", stock=5)  # fmt: skip
    for sku, _ in SOLD:
        if sku != "NO-PRICE":
            stock = 0 if sku == "SOLD-OUT" else 5  # its orders' units are allocated already
            offer_product(
                sku=sku, title=f"Seller {sku}", slug=sku.lower(), price="10.00", stock=stock
            )
    upsert(product("NO-PRICE", "Seller NO-PRICE", slug="no-price", category="tea"))
    for sku, units in SOLD:
        order = place(line(sku, quantity=units, unit="10.00"))
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
    for sku, status in [("ARCHIVED", "archived"), ("DRAFT", "draft")]:
        upsert(product(sku, f"Seller {sku}", slug=sku.lower(), category="tea", status=status))
    relay.relay(dispatch=relay.deliver_due)


def _best_seller_titles(client) -> list[str]:
    page = client.get("/").content.decode()
    assert "Best sellers" in page
    shelf = page.split('id="shelf-best"', 1)[1].split("</section>", 1)[0]
    return list(dict.fromkeys(re.findall(r"Seller [A-Z0-9-]+", shelf)))


def test_best_sellers_leave_out_archived_unpublished_unpriced_and_sold_out_products(client, sales):
    assert _best_seller_titles(client) == ["Seller LIVE-1", "Seller LIVE-2"]


def test_a_product_back_on_sale_returns_to_the_shelf(client, sales):
    inventory_api.receive(warehouse_code="MAIN", sku="SOLD-OUT", quantity=3)
    assert _best_seller_titles(client) == ["Seller SOLD-OUT", "Seller LIVE-1", "Seller LIVE-2"]
