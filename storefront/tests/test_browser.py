"""A shopper filtering a category in a real browser: links, the back button, the search box."""

import re

import pytest
from playwright.sync_api import expect

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
    # expect() waits for the navigation the click started: a bare assert can read the old page.
    expect(page).to_have_url(re.compile(r"/c/clothing/\?brand=shirtmakers$"))
    expect(page.locator(".product-card")).to_have_count(2)
    page.get_by_role("link", name="Wool", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?brand=shirtmakers&attr_material=wool$"))
    expect(page.locator(".product-title")).to_have_text(["Wool Scarf"])
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?brand=shirtmakers$"))
    expect(page.locator(".product-card")).to_have_count(2)
    page.get_by_label("Search products").fill("linen")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=linen"))
    expect(page.locator(".product-title")).to_have_text(["Linen Shirt"])
