"""A shopper in a real browser: from the product list to a product page."""

import pytest

from tests.builders import offer_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shopper_opens_a_product_from_the_list(live_server, page):
    offer_product(
        sku="TEA-1", title="Smoked Lapsang", slug="smoked-lapsang", price="12.50", stock=3
    )

    page.goto(live_server.url)
    page.get_by_role("link", name="Smoked Lapsang").click()

    page.wait_for_url("**/products/smoked-lapsang/")
    assert page.get_by_role("heading", level=1).inner_text() == "Smoked Lapsang"
    assert page.locator(".offer .price").inner_text() == "EUR 12.50"
    assert page.locator(".offer .stock").inner_text() == "Only 3 left"
