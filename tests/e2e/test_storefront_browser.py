"""A shopper in a real browser: from the product list to a product page."""

from decimal import Decimal

import pytest

from catalog import api as catalog_api
from commerce.shared.money import Money
from inventory import api as inventory_api
from pricing import api as pricing_api

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shopper_opens_a_product_from_the_list(live_server, page):
    catalog_api.upsert_category(slug="tea", name="Tea")
    catalog_api.upsert_product(
        sku="TEA-1",
        title="Smoked Lapsang",
        slug="smoked-lapsang",
        description="",
        category_slug="tea",
    )
    pricing_api.set_price(sku="TEA-1", price=Money(Decimal("12.50"), "EUR"))
    inventory_api.set_stock(sku="TEA-1", quantity=3)

    page.goto(live_server.url)
    page.get_by_role("link", name="Smoked Lapsang").click()

    page.wait_for_url("**/products/smoked-lapsang/")
    assert page.get_by_role("heading", level=1).inner_text() == "Smoked Lapsang"
    assert page.locator(".offer .price").inner_text() == "EUR 12.50"
    assert page.locator(".offer .stock").inner_text() == "Only 3 left"
