"""The shop by keyboard alone: the first Tab offers to skip the header.

On a phone the header and the category row hold some twenty links (brand,
search, currency, languages, account, cart, every top category) before a
page's own content; a keyboard or switch user went through all of them on
every page. The first Tab now shows "Skip to content", big enough to tap,
and Enter puts the focus at the start of the page's main content.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import sweater_and_teas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(db):
    sweater_and_teas()


@pytest.mark.parametrize(
    ("width", "path", "words"),
    [
        (390, "/", "Skip to content"),
        (390, "/de/c/clothing/", "Zum Inhalt springen"),
        (1280, "/products/wool-sweater/", "Skip to content"),
        (390, "/cart/", "Skip to content"),
        (390, "/no-such-page/", "Skip to content"),
    ],
)
def test_the_first_tab_skips_the_header_to_the_page(live_server, shop, browser, width, path, words):  # noqa: PLR0917
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + path)
    skip = page.get_by_role("link", name=words)
    expect(skip).not_to_be_in_viewport()  # out of sight until wanted

    page.keyboard.press("Tab")

    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box["height"] >= 44
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the page, not the header
    inside = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside
    context.close()
