"""A signed-in customer picks shipping and billing addresses from their own address book."""

import pytest

from accounts import api as accounts_api
from orders.models import Cart
from orders.tests.factories import BERLIN

pytestmark = pytest.mark.usefixtures("shop")

OFFICE = {
    "label": "Office",
    "full_name": "Ada Lovelace",
    "company": "Analytical Engines",
    "line1": "Friedrichstr. 10",
    "postal_code": "10117",
    "city": "Berlin",
    "country": "DE",
}


def book_of(client, user, *addresses):
    """The user's address book, filled through the account pages like a customer does."""
    client.force_login(user)
    for address in addresses:
        assert client.post("/account/addresses/new/", address).status_code == 302
    return {a.label: a for a in accounts_api.addresses_for(customer_id=user.pk)}


def home():
    return {"label": "Home", **BERLIN.as_dict(), "is_default_shipping": "on"}


def details(**chosen):
    return {"email": "ada@example.com", "shipping_method": "standard", **chosen}


def test_the_details_page_offers_the_book_with_the_default_chosen(client, customer):
    book = book_of(client, customer, home(), OFFICE)
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    page = client.get("/checkout/")
    form = page.context["form"]
    keys = [key for key, _ in form.fields["ship_saved"].choices]
    assert keys == [str(book["Home"].id), str(book["Office"].id), "new"]
    assert form["ship_saved"].value() == str(book["Home"].id)
    assert "A new address" in page.content.decode()
    # The default is chosen as its entry: the new address's fields start empty.
    assert page.context["ship"]["postal_code"].value() in (None, "")
    assert page.context["bill"]["postal_code"].value() in (None, "")


def test_saved_addresses_are_taken_for_shipping_and_billing(client, customer):
    book = book_of(client, customer, home(), OFFICE)
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    answer = client.post(
        "/checkout/",
        details(ship_saved=str(book["Office"].id), bill_saved=str(book["Home"].id)),
    )
    assert answer["Location"] == "/checkout/review/"
    cart = Cart.objects.get()
    assert cart.shipping_address == book["Office"].address.as_dict()
    assert cart.billing_address == book["Home"].address.as_dict()

    again = client.get("/checkout/").context["form"]  # coming back shows the choice made
    assert again["ship_saved"].value() == str(book["Office"].id)
    assert again["bill_saved"].value() == str(book["Home"].id)


def test_a_new_address_is_typed_in(client, customer):
    book_of(client, customer, home())
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    typed = {f"ship-{name}": value for name, value in OFFICE.items() if name != "label"}
    answer = client.post(
        "/checkout/", details(ship_saved="new", bill_saved="new", billing_same="on", **typed)
    )
    assert answer["Location"] == "/checkout/review/"
    assert Cart.objects.get().shipping_address["line1"] == "Friedrichstr. 10"


def test_another_customers_address_is_a_form_error_and_not_revealed(
    client, customer, other_customer
):
    theirs = book_of(client, other_customer, {**OFFICE, "full_name": "Grace Hopper"})["Office"]
    client.logout()
    book_of(client, customer, home())
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    answer = client.post(
        "/checkout/", details(ship_saved=str(theirs.id), bill_saved=str(theirs.id))
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors["ship_saved"]
    assert answer.context["form"].errors["bill_saved"]
    assert "Grace Hopper" not in answer.content.decode()
    assert Cart.objects.get().shipping_address in ({}, None)
