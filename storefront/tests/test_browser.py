"""A shopper filtering a category in a real browser: links, the back button, the search box."""

import pytest

from catalog import api as catalog_api
from tests.builders import attrs, sweater

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clothes(structure):
    catalog_api.upsert_products(
        products=[
            sweater(),
            sweater(sku="SH-1", title="Linen Shirt", brand="Shirtmakers",
                    attributes=attrs(material="Linen")),
            sweater(sku="SC-1", title="Wool Scarf", brand="Shirtmakers"),
        ]
    )  # fmt: skip


def test_filters_live_in_the_url_and_survive_the_back_button(live_server, clothes, page):
    page.goto(f"{live_server.url}/c/clothing/")
    page.get_by_role("link", name="Shirtmakers").click()
    assert page.url.endswith("/c/clothing/?brand=shirtmakers")
    assert page.locator(".product-card").count() == 2
    page.get_by_role("link", name="Wool", exact=True).click()
    assert page.url.endswith("?brand=shirtmakers&attr_material=wool")
    assert page.locator(".product-title").all_inner_texts() == ["Wool Scarf"]
    page.go_back()
    assert page.url.endswith("?brand=shirtmakers")
    assert page.locator(".product-card").count() == 2
    page.get_by_label("Search products").fill("linen")
    page.get_by_role("button", name="Search").click()
    assert page.locator(".product-title").all_inner_texts() == ["Linen Shirt"]
