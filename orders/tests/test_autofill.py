"""A phone fills the shopper's forms in: every field a browser can fill says with what."""

import re

import pytest

pytestmark = pytest.mark.usefixtures("shop")

ADDRESS = {
    "full_name": "name",
    "company": "organization",
    "line1": "address-line1",
    "line2": "address-line2",
    "postal_code": "postal-code",
    "city": "address-level2",
    "region": "address-level1",
    "country": "country",
    "phone": "tel",
}


def autofill_of(page: str) -> dict[str, str]:
    """{field name: its autocomplete} of the page's inputs and selects."""
    found = {}
    for tag in re.findall(r"<(?:input|select)\b[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        filled = re.search(r'autocomplete="([^"]+)"', tag)
        if name:
            found[name.group(1)] = filled.group(1) if filled else ""
    return found


def test_checkout_fills_shipping_and_billing_apart(client):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    fields = autofill_of(client.get("/checkout/").content.decode())
    assert fields["email"] == "email"
    for name, token in ADDRESS.items():
        assert fields[f"ship-{name}"] == f"shipping {token}"
        assert fields[f"bill-{name}"] == f"billing {token}"


def test_the_account_pages_and_the_order_lookup_fill_in(client, customer):
    sign_up = autofill_of(client.get("/account/sign-up/").content.decode())
    assert sign_up["email"] == "email"
    assert (sign_up["first_name"], sign_up["last_name"]) == ("given-name", "family-name")
    assert sign_up["password1"] == sign_up["password2"] == "new-password"
    assert autofill_of(client.get("/account/sign-in/").content.decode())["username"] == "username"
    assert autofill_of(client.get("/orders/lookup/").content.decode())["email"] == "email"
    client.force_login(customer)
    book = autofill_of(client.get("/account/addresses/new/").content.decode())
    assert {name: book[name] for name in ADDRESS} == ADDRESS
