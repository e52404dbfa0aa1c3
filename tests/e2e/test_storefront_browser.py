"""A shopper in a real browser: from the product list to a product page."""

import pytest

from tests.builders import offer_product
from tests.e2e.axe import assert_accessible

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


@pytest.mark.parametrize("language", ["", "/de"])
def test_the_not_found_page_is_accessible(live_server, browser, language):
    """Its own search box beside the header's: two search landmarks, which a screen
    reader's list of landmarks told apart only by a name."""
    context = browser.new_context(bypass_csp=True)  # axe-core is injected as a script
    page = context.new_page()
    page.goto(f"{live_server.url}{language}/no-such-page/")

    assert_accessible(page, f"404 {language or '/'}")
    context.close()
