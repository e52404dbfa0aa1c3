"""What a shopper types at checkout in the browser tests: a German address and the sandbox card."""

from playwright.sync_api import Page

SANDBOX_CARD = {"Card number": "4242 4242 4242 4242", "Expiry month": "12",
                "Expiry year": "2040", "CVC": "123"}  # fmt: skip
ADDRESS = {"full_name": "Ada Lovelace", "line1": "Invalidenstr. 1", "postal_code": "10115",
           "city": "Berlin"}  # fmt: skip


def fill_shipping_address(page: Page) -> None:
    """The shipping address form of the checkout's details step."""
    for field, value in ADDRESS.items():
        page.locator(f"#id_ship-{field}").fill(value)
    page.locator("#id_ship-country").select_option("DE")


def fill_sandbox_card(page: Page) -> None:
    """The pay page's card form, with the sandbox's card that is always accepted."""
    for label, value in SANDBOX_CARD.items():
        page.get_by_label(label).fill(value)
