"""Switching to German in a real browser, on a phone (390 px) and a desktop (1280 px).

The shopper starts on the English home page, picks "Deutsch" in the header
and finds German on the home page, a product page, the cart and checkout, with the
currency switcher still working beside the language switcher. German words
run longer than English ones: no page may become wider than the window.
Screenshots of each page go to ``$SCREENSHOT_DIR`` (default
``artifacts/screenshots``, not committed) to be looked at.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.pages import sideways_overflow, sweater_and_teas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(settings.BASE_DIR) / "artifacts/screenshots")
)
VIEWPORTS = {"phone": 390, "desktop": 1280}


@pytest.fixture
def shop(db):
    sweater_and_teas()


def _fits(page) -> None:
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the window"


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"languages-{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_shopper_switches_to_german_and_reads_german_on_home_product_and_cart(
    live_server, shop, browser, viewport
):
    context = browser.new_context(viewport={"width": VIEWPORTS[viewport], "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(f"{live_server.url}/de/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", name="Alle Produkte")).to_be_visible()
    expect(page.get_by_role("heading", name="Neuheiten")).to_be_visible()
    _fits(page)
    _shot(page, f"{viewport}-home")

    page.goto(f"{live_server.url}/de/products/wool-sweater/")
    expect(page.get_by_role("button", name="In den Warenkorb")).to_be_visible()
    expect(page.get_by_text("Nur noch 2 vorrätig").first).to_be_attached()
    _fits(page)
    _shot(page, f"{viewport}-product")

    # The currency switcher beside the language switcher: still German, now in USD.
    page.select_option("#currency-choice", "USD")
    expect(page).to_have_url(f"{live_server.url}/de/products/wool-sweater/")
    expect(page.locator("#currency-choice")).to_have_value("USD")
    page.select_option("#currency-choice", "EUR")
    expect(page.locator("#currency-choice")).to_have_value("EUR")

    page.locator("input[value=SW-1-L]").check()  # the picker's script keeps the words German
    expect(page.locator("[data-sku-line]")).to_have_text("Art.-Nr. SW-1-L")
    page.locator("input[value=SW-1-M]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="In den Warenkorb").click()
    page.goto(f"{live_server.url}/de/cart/")
    expect(page.get_by_role("heading", name="Ihr Warenkorb")).to_be_visible()
    expect(page.get_by_role("link", name="Zur Kasse")).to_be_visible()
    expect(page.get_by_text("Summe (ohne Versand)")).to_be_visible()
    _fits(page)
    _shot(page, f"{viewport}-cart")

    page.get_by_role("link", name="Zur Kasse").click()
    expect(page.get_by_role("group", name="Lieferadresse")).to_be_attached()
    expect(page.get_by_role("button", name="Bestellung prüfen")).to_be_visible()
    _fits(page)
    _shot(page, f"{viewport}-checkout")
    page.goto(f"{live_server.url}/de/cart/")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/cart/")
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    context.close()
