"""A guest buys a tea in a real browser: product page, cart, checkout, card, confirmation."""

import pytest
from playwright.sync_api import expect

from tests.e2e.checkout import fill_sandbox_card, fill_shipping_address

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guest_buys_from_the_product_page_to_the_confirmation(live_server, shop, page):
    page.goto(f"{live_server.url}/products/green-tea/")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")
    expect(page.locator(".minicart-count")).to_have_text("1")
    page.get_by_role("link", name="Checkout").click()

    page.get_by_label("E-mail").fill("guest@example.com")
    fill_shipping_address(page)
    page.get_by_role("button", name="Review your order").click()

    page.wait_for_url("**/checkout/review/")
    expect(page.locator(".review-total")).to_have_text("EUR 17.40")
    page.get_by_role("button", name="Place order and pay EUR 17.40").click()

    page.wait_for_url("**/pay/")
    fill_sandbox_card(page)
    page.get_by_role("button", name="Pay EUR 17.40").click()

    page.wait_for_url("**/confirmation/")
    assert page.locator(".order-number").inner_text().startswith("CM-")
