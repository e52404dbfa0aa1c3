"""Checkout: pages, shipping, review and placing, compensations, cancel/ship wiring, REST."""

from decimal import Decimal

import pytest

from inventory import api as inventory_api
from kernel.money import Money
from orders.cart import services as carts
from orders.checkout import services as checkout
from orders.dtos import CheckoutError
from orders.models import Cart, Order
from orders.tests.factories import BERLIN
from pricing import api as pricing_api
from pricing.dtos import Shopper

pytestmark = pytest.mark.usefixtures("shop")
GUEST = Shopper()
ADDRESS = {f"ship-{name}": value for name, value in BERLIN.as_dict().items()}


def stock(sku: str = "TEA-1"):
    (level,) = inventory_api.stock_levels(skus=[sku])
    return level


def ready_cart(*, quantity: int = 2, voucher: str = "", method: str = "standard") -> Cart:
    cart = carts.cart_create(currency="EUR", visitor_id="visitor-0123456789")
    carts.cart_add(cart=cart, sku="TEA-1", quantity=quantity, shopper=GUEST)
    if voucher:
        carts.voucher_apply(cart=cart, code=voucher, shopper=GUEST)
    checkout.checkout_start(cart=cart)
    checkout.checkout_details_set(
        cart=cart,
        email="Guest@Example.com",
        shipping_address=BERLIN,
        billing_address=BERLIN,
        shipping_method=method,
    )
    checkout.checkout_review(cart=cart, shopper=GUEST)
    return cart


def place(cart: Cart, token: str = "token-0123456789abcdef") -> str:
    return checkout.checkout_place(cart=cart, shopper=GUEST, token=token, actor="test").number


# --- The storefront flow --------------------------------------------------------


def test_a_guest_checks_out_from_the_cart_to_the_pay_page(client):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    assert client.get("/checkout/").status_code == 200
    assert stock().reserved == 2  # checkout started: stock held

    bad = client.post(
        "/checkout/",
        {
            **ADDRESS,
            "ship-postal_code": "1011",
            "email": "g@example.com",
            "billing_same": "on",
            "shipping_method": "standard",
        },
    )
    assert bad.status_code == 200
    assert bad.context["ship"].errors["postal_code"]

    details = {
        **ADDRESS,
        "email": "g@example.com",
        "billing_same": "on",
        "shipping_method": "standard",
    }
    assert client.post("/checkout/", details)["Location"] == "/checkout/review/"
    review = client.get("/checkout/review/")
    text = review.content.decode()
    assert "EUR 4.90" in text
    assert "EUR 29.90" in text
    token = review.context["form"]["token"].value()

    placed = client.post("/checkout/place/", {"token": token})
    order = Order.objects.get()
    assert placed["Location"] == f"/orders/{order.number}/pay/"
    assert order.grand_total == Decimal("29.90")
    assert order.shipping_total == Decimal("4.90")
    assert list(order.lines.values_list("sku", "title", "quantity", "unit_price")) == [
        ("TEA-1", "Green Tea", 2, Decimal("12.500"))
    ]
    assert (stock().allocated, stock().reserved) == (2, 0)
    assert not Cart.objects.exists()

    again = client.post("/checkout/place/", {"token": token})  # double click / refresh
    assert again["Location"] == placed["Location"]
    assert Order.objects.count() == 1

    paid = client.post(
        f"/orders/{order.number}/pay/",
        {
            "attempt": "a" * 20,
            "provider": "sandbox",
            "card_number": "4242 4242 4242 4242",
            "exp_month": 12,
            "exp_year": 2040,
            "cvc": "123",
        },
    )
    confirmation = client.get(paid["Location"]).content.decode()
    assert order.number in confirmation
    assert "Thank you" in confirmation


def test_every_details_error_shows_once_in_one_answer(client):
    """A bad e-mail does not hide the address's errors until the next submit, and billing
    to the shipping address does not show the shipping address's errors twice."""
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    base = {"billing_same": "on", "shipping_method": "standard"}

    bad = client.post("/checkout/", {**base, **ADDRESS, "ship-postal_code": "1011", "email": "x"})
    assert bad.context["form"].errors["email"]
    assert len(bad.context["ship"].errors["postal_code"]) == 1

    empty = client.post("/checkout/", {**base, "email": "g@example.com", "ship-country": "DE"})
    ship = empty.context["ship"].errors
    assert {"full_name", "line1", "postal_code", "city"} <= set(ship)
    assert all(len(texts) == 1 for texts in ship.values())
    assert not empty.context["bill"].errors


def test_a_changed_total_is_refused_with_the_new_one(client):
    cart = ready_cart()
    pricing_api.set_price(sku="TEA-1", price=Money(Decimal("13.00"), "EUR"))
    with pytest.raises(checkout.TotalChanged, match=r"EUR 30\.90") as changed:
        place(cart)
    assert changed.value.new_total == Money(Decimal("30.90"), "EUR")
    assert not Order.objects.exists()
    checkout.checkout_review(cart=cart, shopper=GUEST)  # the shopper looks again
    assert Order.objects.get(number=place(cart)).grand_total == Decimal("30.90")


def test_shipping_methods_flat_free_over_threshold_and_weight_based():
    assert (
        checkout.checkout_summary(cart=ready_cart(quantity=4), shopper=GUEST).shipping.amount == 0
    )
    express = checkout.checkout_summary(
        cart=ready_cart(quantity=3, method="express"), shopper=GUEST
    )
    # 3 items x 0.5 kg → 2 started kilograms: 7.90 + 2 x 1.50
    assert express.shipping == Money(Decimal("10.90"), "EUR")
    assert express.grand_total == Money(Decimal("48.40"), "EUR")


def test_the_order_keeps_voucher_discount_and_snapshots():
    number = place(ready_cart(voucher="LASTONE"))
    order = Order.objects.get(number=number)
    assert order.voucher_codes == ["LASTONE"]
    assert order.discount_total == Decimal("2.50")
    assert order.grand_total == Decimal("27.40")  # 25.00 - 10 % + 4.90
    assert order.lines.get().experiment_variant == ""  # no experiment runs in this shop


# --- Compensations (every step failing: test_checkout_failures.py) ---------------


def failing(error: BaseException):
    def fail(**kwargs):
        raise error

    return fail


def test_a_refused_voucher_allocates_nothing(monkeypatch):
    cart = ready_cart(voucher="LASTONE")
    place(ready_cart(voucher="LASTONE"), token="first-0123456789")  # takes the last use
    with pytest.raises(CheckoutError, match="LASTONE"):
        place(cart)
    assert Order.objects.count() == 1
    assert stock().allocated == 2  # the first order's units only


def test_cancelling_releases_stock_and_vouchers_and_shipping_takes_stock_off_hand():
    from orders import services

    first = Order.objects.get(number=place(ready_cart(voucher="LASTONE")))
    services.order_cancel(order_id=first.pk, actor="test", reason="changed my mind")
    assert stock().allocated == 0
    second = Order.objects.get(number=place(ready_cart(voucher="LASTONE"), token="s" * 20))
    on_hand = stock().on_hand
    second.status = "paid"
    second.save()
    services.order_ship(order_id=second.pk, actor="test")
    assert (stock().on_hand, stock().allocated) == (on_hand - 2, 0)


# --- REST ---------------------------------------------------------------------------


def rest_checkout(client, token: str, key: str = "key-1", **extra):
    body = {
        "cart": token,
        "shipping_address": BERLIN.as_dict(),
        "shipping_method": "standard",
        **extra,
    }
    return client.post(
        "/api/v1/orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_rest_checkout_places_once_per_key(client, customer):
    client.force_login(customer)
    token = client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    client.post(
        f"/api/v1/cart/{token}/lines/",
        {"sku": "TEA-1", "quantity": 2},
        content_type="application/json",
    )
    wrong = rest_checkout(client, token, key="k0", expected_total="20.00")
    assert wrong.status_code == 409
    assert wrong.json()["new_total"] == {"amount": "29.90", "currency": "EUR"}
    placed = rest_checkout(client, token, expected_total="29.90")
    assert placed.status_code == 201
    assert placed.json()["grand_total"] == {"amount": "29.90", "currency": "EUR"}
    replay = rest_checkout(client, token, expected_total="29.90")
    assert replay.json()["number"] == placed.json()["number"]
    assert Order.objects.filter(customer_id=customer.pk).count() == 1


def test_rest_checkout_bad_address_is_a_field_level_422(client, customer):
    client.force_login(customer)
    cart = carts.cart_create(currency="EUR", customer_id=customer.pk)
    carts.cart_add(cart=cart, sku="TEA-1", quantity=1, shopper=GUEST)
    bad = rest_checkout(
        client, cart.token, shipping_address={**BERLIN.as_dict(), "postal_code": "X"}
    )
    assert bad.status_code == 422  # well formed; not a German postal code (the country's rule)
    assert "shipping_address.postal_code" in bad.json()["errors"]
    assert not Order.objects.exists()


def test_rest_checkout_of_another_customers_cart_is_a_404(client, customer, other_customer):
    theirs = carts.cart_create(currency="EUR", customer_id=other_customer.pk)
    carts.cart_add(cart=theirs, sku="TEA-1", quantity=1, shopper=GUEST)
    client.force_login(customer)
    assert rest_checkout(client, theirs.token).status_code == 404
    assert not Order.objects.exists()


def test_rest_preview_holds_stock_and_answers_what_will_be_charged(client):
    token = client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    client.post(
        f"/api/v1/cart/{token}/lines/",
        {"sku": "TEA-1", "quantity": 2},
        content_type="application/json",
    )
    body = {
        "email": "app@example.com",
        "shipping_address": BERLIN.as_dict(),
        "shipping_method": "express",
    }
    preview = client.post(f"/api/v1/cart/{token}/checkout/", body, content_type="application/json")
    assert preview.status_code == 200
    data = preview.json()
    assert data["shipping"] == {"amount": "9.40", "currency": "EUR"}  # 7.90 + 1 started kg
    assert data["grand_total"] == {"amount": "34.40", "currency": "EUR"}
    assert [o["code"] for o in data["shipping_options"]] == ["standard", "express"]
    assert stock().reserved == 2
    bad = client.post(
        f"/api/v1/cart/{token}/checkout/",
        {**body, "shipping_method": "teleport"},
        content_type="application/json",
    )
    assert bad.status_code == 422  # well formed, a method the shop does not offer
    assert "shipping_method" in bad.json()["errors"]


def test_a_voucher_used_up_meanwhile_gives_way_to_the_next_one_applied():
    """The cart shows it refused; applying another drops it instead of naming it again."""
    cart = ready_cart(voucher="LASTONE")
    place(ready_cart(voucher="LASTONE"), token="first-0123456789")  # takes the last use
    assert carts.voucher_apply(cart=cart, code="tenoff", shopper=GUEST) == "TENOFF"
    cart.refresh_from_db()
    assert cart.voucher_codes == ["TENOFF"]
    checkout.checkout_review(cart=cart, shopper=GUEST)
    assert Order.objects.get(number=place(cart)).voucher_codes == ["TENOFF"]
