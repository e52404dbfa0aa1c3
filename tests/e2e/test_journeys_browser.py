"""Shoppers' journeys in a real browser, on a desktop (1280 px) and a phone (390 px).

From the home page a guest searches, filters, picks a variant, adds it to
the cart, applies a voucher, checks out with the sandbox card and sees the
confirmation; a new customer signs up, switches to pounds, buys and finds
the order in the history. Every step is photographed into
``artifacts/screenshots/<database>/<journey>-<viewport>/`` (git-ignored, kept by CI;
docs/testing.md), and every kind of page on the way (home, listing,
product, cart, checkout, account, orders) is checked with axe-core
(`axe.py`).

Steps wait with Playwright's ``expect`` (which retries until the page
shows what it should), never with a bare assert right after a click: a
click starts a navigation, and reading the page at once can read the old
one.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import Page, expect

from catalog import api as catalog_api
from catalog.dtos import ImageInput, VariantInput
from demo import illustrations
from kernel import relay
from kernel.money import Money
from pricing import api as pricing_api
from pricing.dtos import PromotionSpec, TargetSpec
from tests.builders import (
    build_structure,
    opts,
    priced,
    product,
    sweater,
    ten_percent_voucher,
    upsert,
)
from tests.e2e.axe import assert_accessible
from tests.e2e.checkout import fill_sandbox_card, fill_shipping_address
from tests.e2e.pages import sideways_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"


def _picture(noun: str, sku: str, hue: float, alt: str) -> list[ImageInput]:
    content = illustrations.draw(noun, hue=hue)
    return [ImageInput(file_name=f"{sku.lower()}.jpg", content=content, alt_text=alt)]


def _on_sale(sku: str, eur: str, gbp: str, stock: int) -> None:
    priced(sku, eur, quantity=stock)
    pricing_api.set_price(sku=sku, price=Money(Decimal(gbp), "GBP"))


@pytest.fixture
def shop(db, settings, tmp_path):
    """Two rain jackets in sizes from two brands, a tea, a 10 % voucher; prices in EUR and GBP.

    Tea is 10 % off for everyone (an automatic promotion, announced on the home page).
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    build_structure()
    catalog_api.upsert_category(slug="tea", name="Tea")
    sizes = tuple(
        VariantInput(sku=f"JK-1-{size}", options=opts(size=size, colour="Blue"))
        for size in ("S", "M", "L")
    )
    upsert(
        sweater(sku="JK-1", title="Storm Rain Jacket", slug="storm-rain-jacket", variants=sizes,
                description="A waterproof jacket that packs into its own pocket."),
        sweater(sku="JK-2", title="City Rain Jacket", slug="city-rain-jacket",
                brand="Shirtmakers", variants=()),
        product("TEA-1", "Green Tea", slug="green-tea", category="tea",
                description="Sencha from Shizuoka, in a tin of 100 g."),
    )  # fmt: skip
    for sku, noun, hue, alt in [
        ("JK-1", "Rain Jacket", 0.6, "Storm Rain Jacket in blue, front view"),
        ("JK-2", "Rain Jacket", 0.05, "City Rain Jacket, front view"),
        ("TEA-1", "Green Tea", 0.3, "A tin of green tea"),
    ]:
        catalog_api.set_product_images(sku=sku, images=_picture(noun, sku, hue, alt))
    for sku, eur, gbp, stock in [
        ("JK-1-S", "89.00", "79.00", 4), ("JK-1-M", "89.00", "79.00", 9),
        ("JK-1-L", "94.00", "84.00", 2), ("JK-2", "69.00", "59.00", 5),
        ("TEA-1", "12.50", "10.90", 20),
    ]:  # fmt: skip
        _on_sale(sku, eur, gbp, stock)
    ten_percent_voucher()
    relay.relay(dispatch=relay.deliver_due)  # pricing learns the tea's category
    pricing_api.upsert_promotion(
        spec=PromotionSpec(slug="tea-week", name="Tea week", reason="10 % off all tea",
                           kind="percentage", percent=Decimal(10),
                           targets=(TargetSpec("category", "tea"),))
    )  # fmt: skip


@dataclass
class Shopper:
    """A browser tab of one viewport that photographs each step into its own folder."""

    page: Page
    base: str
    viewport: str
    folder: Path
    steps: int = 0

    @property
    def on_phone(self) -> bool:
        return self.viewport == "phone"

    def step(self, name: str, *, check: bool = False) -> None:
        """Photograph the page as step ``name``; ``check``: also run axe-core on it."""
        self.steps += 1
        self.page.screenshot(path=self.folder / f"{self.steps:02d}-{name}.png", full_page=True)
        if check:
            assert_accessible(self.page, f"{name} ({self.viewport})")


@pytest.fixture(params=list(VIEWPORTS))
def shopper(request, browser, live_server, shop) -> Iterator[Shopper]:
    # axe-core is injected as a script tag, which the shop's CSP (rightly)
    # refuses: the browser ignores CSP for this test's tab only
    # (tests/e2e/test_csp_browser.py proves the policy itself).
    context = browser.new_context(viewport=VIEWPORTS[request.param], bypass_csp=True)
    context.set_default_timeout(10_000)
    journey = request.function.__name__.removeprefix("test_")
    # One folder per database: `make test` runs the SQLite and PostgreSQL suites side by side.
    folder = SCREENSHOTS / connection.vendor / f"{journey}-{request.param}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink(missing_ok=True)
    yield Shopper(context.new_page(), live_server.url, request.param, folder)
    context.close()


def _pay_by_card(shopper: Shopper, total: str) -> None:
    page = shopper.page
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Pay"))
    fill_sandbox_card(page)
    shopper.step("pay")
    page.get_by_role("button", name=f"Pay {total}").click()
    expect(page.locator(".order-number")).to_have_text(re.compile(r"^CM-"))


def test_a_guest_finds_a_jacket_and_buys_it_with_a_voucher(shopper):
    _find_a_jacket_and_pick_a_size(shopper)
    _add_it_and_apply_a_voucher(shopper)
    _check_out_as_a_guest(shopper)


def _find_a_jacket_and_pick_a_size(shopper: Shopper) -> None:
    page = shopper.page
    page.goto(shopper.base)
    expect(page.locator(".product-card")).to_have_count(3)
    expect(page.locator(".promotion")).to_contain_text("10 % off all tea")
    shopper.step("home", check=True)

    page.get_by_label("Search products").fill("rain jacket")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=rain\+jacket"))
    expect(page.locator(".product-card")).to_have_count(2)
    shopper.step("search", check=True)

    if shopper.on_phone:  # filters fold behind a button on phones
        page.get_by_text("Filters", exact=True).click()
    page.get_by_role("link", name="Northwool").click()
    expect(page).to_have_url(re.compile(r"brand=northwool"))
    expect(page.locator(".product-title")).to_have_text(["Storm Rain Jacket"])
    shopper.step("filtered", check=True)

    page.get_by_role("link", name="Storm Rain Jacket").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Storm Rain Jacket")
    shopper.step("product", check=True)
    page.locator("input[value=JK-1-L]").check()
    expect(page.locator(".offer .price")).to_have_text("EUR 94.00")
    expect(page.locator(".offer .stock")).to_have_text("Only 2 left")
    expect(page).to_have_url(re.compile(r"\?variant=JK-1-L$"))
    shopper.step("variant-picked")


def _add_it_and_apply_a_voucher(shopper: Shopper) -> None:
    page = shopper.page
    page.get_by_role("button", name="Add to cart").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.locator(".cart-line .line-variant")).to_have_text(re.compile(r"^L / Blue"))
    expect(page.locator(".minicart-count")).to_have_text("1")
    shopper.step("cart", check=True)

    page.get_by_label("Voucher code").fill("tenoff")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".vouchers .badge")).to_have_text("TENOFF")
    expect(page.locator(".cart-total")).to_have_text("EUR 84.60")  # 94.00 less 10 %
    shopper.step("voucher", check=True)

    page.locator(".minicart").click()  # the header's mini-cart opens its summary
    panel = page.locator("#minicart-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".line-variant")).to_have_text("L / Blue \u00b7 1 \u00d7 EUR 94.00")
    expect(panel.locator(".minicart-total")).to_have_text("EUR 84.60")
    expect(page.locator(".minicart")).to_have_attribute("aria-expanded", "true")
    assert sideways_overflow(page) <= 0, "the open mini-cart makes the page scroll sideways"
    shopper.step("mini-cart", check=True)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def _check_out_as_a_guest(shopper: Shopper) -> None:
    page = shopper.page
    page.get_by_role("link", name="Checkout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    page.get_by_label("E-mail").fill("guest@example.com")
    fill_shipping_address(page)
    shopper.step("checkout", check=True)
    page.get_by_role("button", name="Review your order").click()

    expect(page.locator(".review-total")).to_have_text("EUR 84.60")  # shipping free over 50
    shopper.step("review", check=True)
    page.get_by_role("button", name="Place order and pay EUR 84.60").click()
    _pay_by_card(shopper, "EUR 84.60")
    expect(page.locator(".line-thumb")).to_have_attribute(
        "alt", "Storm Rain Jacket in blue, front view"
    )
    shopper.step("confirmation", check=True)


def test_a_new_customer_signs_up_pays_in_pounds_and_finds_the_order(shopper):
    page = shopper.page
    page.goto(shopper.base)
    if shopper.on_phone:  # the header keeps only "Sign in" on phones
        page.get_by_role("link", name="Sign in").click()
        page.get_by_role("link", name="Create an account").click()
    else:
        page.get_by_role("link", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Create"))
    for label, value in [("E-mail", "grace@example.com"), ("First name", "Grace"),
                         ("Last name", "Hopper"), ("Password", "a long enough passphrase"),
                         ("Password again", "a long enough passphrase")]:  # fmt: skip
        page.get_by_label(re.compile(rf"^{label}:?$")).fill(value)
    shopper.step("sign-up", check=True)
    page.get_by_role("button", name=re.compile("Create")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    shopper.step("account", check=True)

    page.get_by_label("Currency").select_option("GBP")  # site.js submits on change
    expect(page.get_by_label("Currency")).to_have_value("GBP")
    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Tea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tea")
    expect(page.locator(".product-card .price")).to_have_text(["GBP 9.81"])
    shopper.step("category-in-pounds", check=True)
    page.get_by_role("link", name="Green Tea").first.click()
    expect(page.locator(".offer .price")).to_have_text("GBP 9.81")
    shopper.step("product-in-pounds")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".cart-total")).to_have_text("GBP 9.81")

    page.get_by_role("link", name="Checkout").click()
    expect(page.get_by_label("E-mail")).to_have_value("grace@example.com")
    fill_shipping_address(page)
    page.get_by_role("button", name="Review your order").click()
    expect(page.locator(".review-total")).to_have_text(re.compile(r"^GBP "))
    total = page.locator(".review-total").inner_text()
    page.get_by_role("button", name=f"Place order and pay {total}").click()
    _pay_by_card(shopper, total)
    shopper.step("confirmation")

    page.get_by_role("link", name="Your orders").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your orders")
    expect(page.locator("table.data tbody tr")).to_have_count(1)
    expect(page.locator("table.data tbody")).to_contain_text(total)
    expect(page.locator(".order-thumbs img")).to_have_attribute("alt", "A tin of green tea")
    shopper.step("order-history", check=True)
    page.locator("table.data tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Order CM-"))
    shopper.step("order-detail", check=True)
