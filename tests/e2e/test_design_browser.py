"""The shop in a real browser: every page fits phones to desktops, and the variant picker.

Widths: 360 and 390 px (phones), 768 (tablet), 1280 (desktop). A page
"fits" when the document is no wider than the window: nothing makes a
shopper scroll sideways.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts import services as accounts_services
from tests.e2e.pages import sideways_overflow, sweater_and_teas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
WIDTHS = (360, 390, 768, 1280)
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"


@pytest.fixture
def shop(db):
    sweater_and_teas()
    accounts_services.customer_create(
        email="ada@example.com", password=PASSWORD, first_name="Ada", last_name="Lovelace"
    )  # fmt: skip


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("E-mail").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(lambda url: "sign-in" not in url)


def test_no_page_scrolls_sideways(live_server, shop, browser):
    """Every width over one shop (building it is most of what this test costs); on the way,
    the product page's "Recently viewed" row and the buy box of a shared page."""
    base = live_server.url
    guest_pages = ["/", "/c/clothing/", "/search/?q=tea", "/products/wool-sweater/",
                   "/account/sign-in/", "/account/sign-up/", "/no-such-page/"]  # fmt: skip
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for path in guest_pages:
            page.goto(base + path)
            assert sideways_overflow(page) <= 0, (width, path)
        # Its script posts the view after the page loads: leaving before the post is
        # answered would cancel it, and the next page would have nothing to show.
        with page.expect_response(lambda answer: answer.url.endswith("/green-tea-3/viewed/")):
            page.goto(f"{base}/products/green-tea-3/")
        page.goto(f"{base}/products/wool-sweater/")
        # The page is the same for every visitor (caches share it): its script
        # brings the visitor's own row (storefront.views.recently_viewed).
        recent = page.locator(".recently-viewed")
        expect(recent.get_by_role("heading", name="Recently viewed")).to_be_visible()
        expect(recent.locator(".product-title")).to_have_text(["Green Tea No. 3"])
        assert sideways_overflow(page) <= 0, (width, "recently viewed")
        if width in (390, 1280):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"product-page-{width}.png", full_page=True)
        with page.expect_navigation():
            page.get_by_role("button", name="Add to cart").click()
        for path in ["/cart/", "/checkout/"]:
            page.goto(base + path)
            assert sideways_overflow(page) <= 0, (width, path)
        _sign_in(page, base)
        for path in ["/account/", "/orders/"]:
            page.goto(base + path)
            assert sideways_overflow(page) <= 0, (width, path)
        context.close()


def test_a_cart_line_keeps_its_buttons_inside_its_card_in_every_language(
    live_server, shop, browser
):
    """A phone's cart line sets the quantity box and its button side by side; German's
    "Aktualisieren" pushed the button past the card, and past the window at 360 px."""
    for width in (320, *WIDTHS[:2]):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for language in ("", "/de"):
            page.goto(f"{live_server.url}{language}/products/green-tea-3/")
            with page.expect_navigation():
                page.locator("[data-add-button]").click()
            page.goto(f"{live_server.url}{language}/cart/")
            card = page.locator("table.cart").bounding_box()
            for control in page.locator("table.cart button, table.cart input[type=number]").all():
                box = control.bounding_box()
                assert box["x"] >= card["x"], (width, language, control.inner_text())
                assert box["x"] + box["width"] <= card["x"] + card["width"], (
                    width, language, control.inner_text()
                )  # fmt: skip
            assert sideways_overflow(page) <= 0, (width, language)
        context.close()


#: Every control a finger taps on its own, at least this tall on a phone (WCAG 2.5.5), but
#: links inside running text (a paragraph, a cart line's title), which WCAG exempts, and
#: check boxes and radio buttons, whose label is what a finger taps.
SMALLEST_TAP_TARGETS = """() => [...document.querySelectorAll("a, button, select, input, summary")]
    .filter((el) => el.getClientRects().length)
    .filter((el) => !["hidden", "checkbox", "radio"].includes(el.type))
    .filter((el) => !(el.tagName === "A" && el.closest("p, .line-item")))
    .map((el) => [Math.round(el.getBoundingClientRect().height),
                  `${el.parentElement.className || el.parentElement.tagName} > ${el.tagName}`
                  + ` ${(el.innerText || el.value || "").trim().slice(0, 20)}`])
    .filter(([height]) => height < 44)"""


def test_every_control_a_finger_taps_on_a_phone_is_44_px_tall(live_server, shop, browser):
    """The header's sign-in link was 22 px tall, the category bar's links 28, breadcrumbs
    16, the currency picker and a cart line's buttons 36, a review's "Report" 19."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/products/green-tea-3/")
    with page.expect_navigation():
        page.locator("[data-add-button]").click()
    for path in ["/", "/c/kitchen/", "/c/clothing/", "/search/?q=nothing-matches",
                 "/products/wool-sweater/", "/cart/", "/checkout/", "/de/"]:  # fmt: skip
        page.goto(base + path)
        assert page.evaluate(SMALLEST_TAP_TARGETS) == [], path
    context.close()


def test_filters_fold_behind_a_button_on_phones_and_stay_open_on_desktops(
    live_server, shop, browser
):
    for width, shown in [(390, False), (1280, True)]:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(f"{live_server.url}/c/clothing/")
        assert page.get_by_role("link", name="Northwool").is_visible() is shown
        if not shown:
            page.get_by_text("Filters", exact=True).click()
            assert page.get_by_role("link", name="Northwool").is_visible()
        context.close()


def _cart_skus(page, base: str) -> list[str]:
    page.goto(f"{base}/cart/")
    return page.locator(".cart-line .line-sku").all_inner_texts()


def test_picking_a_variant_updates_the_offer_and_the_url_and_adds_that_variant(
    live_server, shop, page
):
    base = live_server.url
    page.goto(f"{base}/products/wool-sweater/")
    expect(page.locator("[data-sku-line]")).to_have_text("SKU SW-1-M")
    page.get_by_label("L", exact=False).last.check()
    expect(page.locator("[data-sku-line]")).to_have_text("SKU SW-1-L")
    expect(page.locator(".offer .price")).to_have_text("EUR 44.00")
    expect(page.locator(".offer .stock")).to_have_text("Only 2 left")
    expect(page).to_have_url(re.compile(r"\?variant=SW-1-L$"))
    page.locator("input[value=SW-1-S]").check()
    expect(page.locator(".offer .stock")).to_have_text("Out of stock")
    expect(page.get_by_role("button", name="Add to cart")).to_be_disabled()
    page.locator("input[value=SW-1-L]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add to cart").click()
    assert page.url.endswith("/cart/")
    assert _cart_skus(page, base) == ["SW-1-L"]
    page.goto(f"{base}/products/wool-sweater/?variant=SW-1-L")  # the server honours the URL
    assert page.locator("input[value=SW-1-L]").is_checked()
    assert page.locator(".offer .price").inner_text() == "EUR 44.00"


def test_without_javascript_the_picked_variant_is_still_what_lands_in_the_cart(
    live_server, shop, browser
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/products/wool-sweater/")
    page.locator("input[value=SW-1-L]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add to cart").click()
    assert _cart_skus(page, base) == ["SW-1-L"]
    context.close()
