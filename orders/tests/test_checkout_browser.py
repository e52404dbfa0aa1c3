"""A guest buys a tea in a real browser: product page, cart, checkout, card, confirmation."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guest_buys_from_the_product_page_to_the_confirmation(live_server, shop, page):
    page.goto(f"{live_server.url}/products/green-tea/")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart/")
    expect(page.locator(".minicart-count")).to_have_text("1")
    page.get_by_role("link", name="Checkout").click()

    page.get_by_label("E-mail").fill("guest@example.com")
    for field, value in [
        ("full_name", "Ada Lovelace"),
        ("line1", "Invalidenstr. 1"),
        ("postal_code", "10115"),
        ("city", "Berlin"),
    ]:
        page.locator(f"#id_ship-{field}").fill(value)
    page.locator("#id_ship-country").select_option("DE")
    page.get_by_role("button", name="Review your order").click()

    page.wait_for_url("**/checkout/review/")
    expect(page.locator(".review-total")).to_have_text("EUR 17.40")
    page.get_by_role("button", name="Place order and pay EUR 17.40").click()

    page.wait_for_url("**/pay/")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry month").fill("12")
    page.get_by_label("Expiry year").fill("2040")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name="Pay EUR 17.40").click()

    page.wait_for_url("**/confirmation/")
    assert page.locator(".order-number").inner_text().startswith("CM-")
