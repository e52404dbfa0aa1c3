"""The cart tells the truth early: lines are capped at what can be bought, in one wording.

The shop has 20 of each tea. Storefront (the product page's form, the cart
page) and API apply the same limits and say the same words.
"""

import re

import pytest
from django.contrib.messages import get_messages

from inventory import api as inventory_api
from inventory.dtos import Line
from orders.cart import services as carts
from orders.cart.stock import capped_message
from orders.checkout import services as checkout
from orders.dtos import CheckoutError, OutOfStock
from orders.models import Cart
from pricing.dtos import Shopper

pytestmark = pytest.mark.usefixtures("shop")
GUEST = Shopper()
ONLY_20 = "Only 20 left: we put 20 in your cart."


@pytest.fixture
def cart(db):
    return carts.cart_create(currency="EUR", visitor_id="visitor-0123456789")


def quantities(cart: Cart | None = None) -> dict[str, int]:
    cart = cart or Cart.objects.get()
    return dict(cart.lines.values_list("sku", "quantity"))


def test_the_wording_is_defined_once():
    assert capped_message(20) == ONLY_20


# --- the use cases -------------------------------------------------------------------


def test_adding_more_than_there_is_puts_what_there_is_and_says_so(cart):
    notice = carts.cart_add(cart=cart, sku="TEA-1", quantity=25, shopper=GUEST)
    assert (notice.code, notice.sku, notice.message) == ("quantity_capped", "TEA-1", ONLY_20)
    assert quantities(cart) == {"TEA-1": 20}

    again = carts.cart_add(cart=cart, sku="TEA-1", quantity=1, shopper=GUEST)
    assert again.message == ONLY_20
    assert quantities(cart) == {"TEA-1": 20}


def test_changing_a_quantity_is_capped_the_same_way(cart):
    assert carts.cart_add(cart=cart, sku="TEA-1", quantity=20, shopper=GUEST) is None
    assert carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=30).message == ONLY_20
    assert carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=5) is None
    assert quantities(cart) == {"TEA-1": 5}


def test_stock_that_went_away_caps_a_line_when_it_is_next_changed(cart):
    carts.cart_add(cart=cart, sku="TEA-1", quantity=5, shopper=GUEST)
    inventory_api.set_stock(sku="TEA-1", quantity=3)
    notice = carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=4)
    assert notice.message == "Only 3 left: we put 3 in your cart."
    assert quantities(cart) == {"TEA-1": 3}


def test_out_of_stock_adds_nothing_and_changes_nothing(cart):
    carts.cart_add(cart=cart, sku="TEA-2", quantity=2, shopper=GUEST)
    inventory_api.set_stock(sku="TEA-1", quantity=0)
    inventory_api.set_stock(sku="TEA-2", quantity=0)
    with pytest.raises(OutOfStock, match="out of stock"):
        carts.cart_add(cart=cart, sku="TEA-1", quantity=1, shopper=GUEST)
    with pytest.raises(OutOfStock):
        carts.cart_set_quantity(cart=cart, sku="TEA-2", quantity=1)
    assert quantities(cart) == {"TEA-2": 2}


def test_the_carts_own_checkout_hold_counts_as_its_own(cart):
    inventory_api.set_stock(sku="TEA-1", quantity=5)
    carts.cart_add(cart=cart, sku="TEA-1", quantity=3, shopper=GUEST)
    inventory_api.reserve(owner=cart.reservation_owner, lines=[Line(sku="TEA-1", quantity=3)])
    inventory_api.reserve(owner="cart:someone-else", lines=[Line(sku="TEA-1", quantity=2)])

    assert carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=3) is None
    capped = carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=4)
    assert capped.message == "Only 3 left: we put 3 in your cart."


def _held_for_checkout(cart: Cart) -> None:
    carts.cart_add(cart=cart, sku="TEA-1", quantity=20, shopper=GUEST)
    checkout.checkout_start(cart=cart)
    assert inventory_api.purchasable(skus=["TEA-1"])["TEA-1"] == 0  # nobody else can buy


@pytest.mark.parametrize(
    "change",
    [
        lambda cart: carts.cart_remove(cart=cart, sku="TEA-1"),
        lambda cart: carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=0),
        lambda cart: carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=1),
    ],
    ids=["removed", "set to 0", "set to 1"],
)
def test_a_basket_that_shrinks_gives_back_what_its_checkout_held(
    cart, change, django_capture_on_commit_callbacks
):
    _held_for_checkout(cart)
    with django_capture_on_commit_callbacks(execute=True):
        change(cart)
    assert inventory_api.purchasable(skus=["TEA-1"])["TEA-1"] == 20  # until it is reviewed again


def test_reviewing_an_emptied_basket_gives_back_what_it_held(cart):
    _held_for_checkout(cart)
    carts.cart_remove(cart=cart, sku="TEA-1")  # its own release never ran (no commit here)
    with pytest.raises(CheckoutError, match="empty"):
        checkout.checkout_start(cart=cart)
    assert inventory_api.purchasable(skus=["TEA-1"])["TEA-1"] == 20


# --- the storefront --------------------------------------------------------------------


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def product_form(client) -> tuple[str, dict]:
    """The product page's add-to-cart form: its action and fields, as a browser posts them."""
    page = client.get("/products/green-tea/").content.decode()
    form = re.search(
        r'<form class="[^"]*add-to-cart[^"]*"[^>]*action="([^"]+)"(.*?)</form>', page, re.S
    )
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    fields.pop("csrfmiddlewaretoken", None)
    return form.group(1), fields


def test_the_product_page_adds_capped_with_the_message(client):
    action, fields = product_form(client)
    response = client.post(action, {**fields, "quantity": 25})
    assert response.status_code == 302
    assert shown(response) == [ONLY_20]
    assert quantities() == {"TEA-1": 20}


@pytest.mark.parametrize("quantity", ["0", "-3"])
def test_the_product_page_adds_nothing_for_zero_or_less(client, quantity):
    action, fields = product_form(client)
    response = client.post(action, {**fields, "quantity": quantity})
    assert shown(response) == ["Choose at least 1."]
    assert not Cart.objects.filter(lines__isnull=False).exists()


def test_the_product_page_says_out_of_stock_and_adds_nothing(client):
    action, fields = product_form(client)
    inventory_api.set_stock(sku="TEA-1", quantity=0)
    response = client.post(action, fields)
    assert response["Location"] == fields["next"]  # back to the product page
    assert "out of stock" in shown(response)[0]
    assert not Cart.objects.filter(lines__isnull=False).exists()


def test_the_cart_page_caps_a_changed_quantity_with_the_message(client):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": 2}, follow=True)  # message shown
    response = client.post("/cart/update/", {"sku": "TEA-1", "quantity": 50}, follow=True)
    assert ONLY_20 in response.content.decode()
    refused = client.post("/cart/update/", {"sku": "TEA-1", "quantity": -1})
    assert shown(refused) == ["Choose a quantity of 0 or more."]
    assert quantities() == {"TEA-1": 20}
    page = client.get("/cart/").content.decode()
    assert 'value="20"' in page


# --- the API -----------------------------------------------------------------------------


def api_cart(client) -> str:
    return client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]


def add(client, token: str, body: dict):
    return client.post(f"/api/v1/cart/{token}/lines/", body, content_type="application/json")


def test_the_api_caps_with_a_notice_in_the_cart_body(client):
    token = api_cart(client)
    added = add(client, token, {"sku": "TEA-1", "quantity": 25})
    assert added.status_code == 201
    assert added.json()["notices"] == [
        {"code": "quantity_capped", "sku": "TEA-1", "message": ONLY_20}
    ]
    assert added.json()["lines"][0]["quantity"] == 20

    changed = client.patch(
        f"/api/v1/cart/{token}/lines/TEA-2/", {"quantity": 1}, content_type="application/json"
    )
    assert changed.status_code == 404  # not in the cart: nothing to change
    add(client, token, {"sku": "TEA-2", "quantity": 1})
    changed = client.patch(
        f"/api/v1/cart/{token}/lines/TEA-2/", {"quantity": 21}, content_type="application/json"
    )
    assert changed.json()["notices"][0]["message"] == ONLY_20
    assert client.get(f"/api/v1/cart/{token}/").json()["notices"] == []


@pytest.mark.parametrize("quantity", [0, -1, "many", None, True])
def test_the_api_refuses_a_quantity_of_zero_or_less_naming_it(client, quantity):
    token = api_cart(client)
    refused = add(client, token, {"sku": "TEA-1", "quantity": quantity})
    assert refused.status_code == 400
    assert "quantity" in refused.json()["errors"]
    assert client.get(f"/api/v1/cart/{token}/").json()["lines"] == []


def test_the_api_answers_out_of_stock_with_a_409_and_adds_nothing(client):
    token = api_cart(client)
    inventory_api.set_stock(sku="TEA-1", quantity=0)
    refused = add(client, token, {"sku": "TEA-1", "quantity": 1})
    assert refused.status_code == 409
    assert refused.json()["code"] == "out_of_stock"
    assert refused.json()["sku"] == "TEA-1"
    assert client.get(f"/api/v1/cart/{token}/").json()["lines"] == []
