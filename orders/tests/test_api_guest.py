"""The app's guest checkout (cart and access tokens, lookup); the cart merge at token sign-in."""

import time

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client

from inventory import api as inventory_api
from orders.models import Cart, IdempotencyKey, Order, Payment, PlacedCheckout
from orders.tests.factories import BERLIN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shop")]

API = "/api/v1"
VISA = {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2099, "cvc": "123"}
#: The order (access check), then the order and its related rows, each prefetched once.
QUERIES_TO_READ_AN_ORDER = 5
DETAILS = {
    "email": "guest@example.com",
    "shipping_address": BERLIN.as_dict(),
    "shipping_method": "standard",
}


def post(client, url, data=None, key=None, **headers):
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(f"{API}{url}", data or {}, content_type="application/json", **headers)


def guest_cart(client, quantity=2) -> str:
    token = post(client, "/cart/").json()["token"]
    post(client, f"/cart/{token}/lines/", {"sku": "TEA-1", "quantity": quantity})
    return token


def place(client, token, key="place-1"):
    return post(client, "/orders/", {"cart": token, **DETAILS}, key=key)


def with_access(token):
    return {"HTTP_ORDER_ACCESS_TOKEN": token}


def test_a_guest_checks_out_pays_and_reads_the_order_without_an_account():
    app = Client()  # no cookies kept between requests would work the same: nothing uses them
    token = guest_cart(app)
    preview = post(app, f"/cart/{token}/checkout/", DETAILS)
    total = preview.json()["grand_total"]["amount"]

    placed = post(app, "/orders/", {"cart": token, **DETAILS, "expected_total": total}, "k1")
    access = placed.json()["access_token"]
    number = placed.json()["number"]
    paid = post(
        app, f"/orders/{number}/payments/", {"provider": "sandbox", "card": VISA}, "k2",
        **with_access(access),
    )  # fmt: skip
    seen = app.get(f"{API}/orders/{number}/", **with_access(access))

    assert placed.status_code == 201
    assert Order.objects.get(number=number).customer_id is None
    assert paid.status_code == 201
    assert paid.json()["status"] == "captured"
    assert seen.status_code == 200
    assert seen.json()["status"] == "paid"
    assert seen.json()["email"] == "guest@example.com"


def test_a_guest_placing_twice_with_one_key_gets_one_order_without_a_session():
    token = guest_cart(Client())
    first, again = place(Client(), token), place(Client(), token)

    assert again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_a_cart_placed_already_under_another_key_is_a_409_naming_its_order():
    """An app that lost the answer and retried with a new key learns what became of the
    cart, instead of a 404 for a cart it just had."""
    token = guest_cart(Client())
    number = place(Client(), token, key="first").json()["number"]
    again = place(Client(), token, key="second")

    assert again.status_code == 409
    assert again.json()["code"] == "cart_already_placed"
    assert number in again.json()["detail"]
    assert Order.objects.count() == 1
    assert place(Client(), "no-such-cart", key="third").status_code == 404


def test_another_customers_placed_cart_is_a_404(customer, other_customer):
    app = Client()
    app.force_login(other_customer)
    token = guest_cart(app)  # the customer's cart, once signed in
    assert place(app, token, key="first").status_code == 201
    app.force_login(customer)
    assert place(app, token, key="second").status_code == 404  # nothing told of it


def test_an_access_token_opens_only_its_own_order():
    mine = place(Client(), guest_cart(Client())).json()
    other = place(Client(), guest_cart(Client()), key="place-2").json()

    response = Client().get(f"{API}/orders/{other['number']}/", **with_access(mine["access_token"]))
    forged = Client().get(f"{API}/orders/{mine['number']}/", **with_access("forged"))

    assert response.status_code == 404
    assert forged.status_code == 404


@pytest.mark.parametrize("token", [None, "", "   "])
def test_a_guest_without_access_token_is_asked_to_authenticate(token):
    number = place(Client(), guest_cart(Client())).json()["number"]
    headers = {} if token is None else {"Order-Access-Token": token}
    response = Client().get(f"{API}/orders/{number}/", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_guest_looks_an_order_up_by_number_and_email_and_may_pay_it():
    number = place(Client(), guest_cart(Client())).json()["number"]

    found = post(Client(), "/orders/lookup/", {"number": number, "email": "GUEST@example.com"})
    paid = post(
        Client(), f"/orders/{number}/payments/", {"provider": "sandbox", "card": VISA}, "pay",
        **with_access(found.json()["access_token"]),
    )  # fmt: skip

    assert found.status_code == 200
    assert found.json()["number"] == number
    assert paid.status_code == 201


def test_failed_lookups_are_throttled_per_address_like_the_storefront():
    cache.clear()
    number = place(Client(), guest_cart(Client())).json()["number"]
    thief = Client(REMOTE_ADDR="10.2.0.1")
    answers = [
        post(thief, "/orders/lookup/", {"number": number, "email": "thief@example.com"})
        for _ in range(10)
    ]
    blocked = post(thief, "/orders/lookup/", {"number": number, "email": "guest@example.com"})
    elsewhere = post(
        Client(REMOTE_ADDR="10.2.0.2"),
        "/orders/lookup/",
        {"number": number, "email": "guest@example.com"},
    )

    assert {a.status_code for a in answers} == {404}
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "900"
    assert blocked.json()["detail"] == "Too many attempts. Please try again in a few minutes."
    assert elsewhere.status_code == 200


def test_a_customer_cannot_see_or_pay_another_customers_order(customer, other_customer):
    app = Client()
    app.force_login(other_customer)
    token = guest_cart(app)
    number = place(app, token).json()["number"]
    app.force_login(customer)

    assert app.get(f"{API}/orders/{number}/").status_code == 404
    pay = post(app, f"/orders/{number}/payments/", {"provider": "sandbox", "card": VISA}, "x")
    assert pay.status_code == 404


def test_a_guest_hold_that_never_completes_expires(settings):
    settings.ORDERS_CHECKOUT_HOLD_MINUTES = 0.02  # 1.2 s
    before = inventory_api.purchasable(skus=["TEA-1"])["TEA-1"]
    token = guest_cart(Client())
    post(Client(), f"/cart/{token}/checkout/", DETAILS)
    held = inventory_api.purchasable(skus=["TEA-1"])["TEA-1"]
    time.sleep(1.3)

    assert held == before - 2
    assert inventory_api.purchasable(skus=["TEA-1"])["TEA-1"] == before


def test_token_sign_in_merges_the_guest_cart_it_names(customer):
    guest = guest_cart(Client(), quantity=3)
    customer.set_password("a long passphrase here")
    customer.save()
    signed_in = post(
        Client(), "/auth/sign-in/",
        {"email": "ada@example.com", "password": "a long passphrase here", "cart": guest},
    )  # fmt: skip
    headers = {"HTTP_AUTHORIZATION": f"Token {signed_in.json()['token']}"}
    cart = post(Client(), "/cart/", **headers)

    assert signed_in.status_code == 200
    assert cart.json()["item_count"] == 3
    assert not Cart.objects.filter(token=guest, customer_id=None).exists()
    assert Client().get(f"{API}/cart/{cart.json()['token']}/").status_code == 404


def test_token_sign_up_merges_the_guest_cart_it_names():
    guest = guest_cart(Client(), quantity=1)
    body = {
        "email": "grace@example.com",
        "password": "a long passphrase here",
        "first_name": "Grace",
        "last_name": "Hopper",
        "cart": guest,
    }
    token = post(Client(), "/auth/sign-up/", body).json()["token"]
    cart = post(Client(), "/cart/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert cart["item_count"] == 1


def test_a_customers_cart_named_at_sign_in_is_not_taken(customer, other_customer):
    theirs = Client()
    theirs.force_login(other_customer)
    token = guest_cart(theirs)
    customer.set_password("a long passphrase here")
    customer.save()
    body = {"email": "ada@example.com", "password": "a long passphrase here", "cart": token}

    assert post(Client(), "/auth/sign-in/", body).status_code == 200
    assert Cart.objects.get(token=token).customer_id == other_customer.pk
    assert Cart.objects.get(token=token).lines.count() == 1


def test_a_guest_without_an_e_mail_is_told_on_the_field():
    token = guest_cart(Client())
    body = {key: value for key, value in DETAILS.items() if key != "email"}
    preview = post(Client(), f"/cart/{token}/checkout/", body)
    placed = post(Client(), "/orders/", {"cart": token, **body}, key="k")

    # Well formed (the e-mail is optional for a signed-in customer): a rule's 422.
    assert preview.status_code == placed.status_code == 422
    assert (
        preview.json()["errors"]
        == placed.json()["errors"]
        == {"email": ["Enter your e-mail address."]}
    )
    assert not Order.objects.exists()


def test_staff_operations_need_staff_status_as_well_as_the_permission(django_user_model):
    order = place(Client(), guest_cart(Client())).json()
    holder = django_user_model.objects.create_user("not-staff", password="pw")
    holder.user_permissions.set(Permission.objects.filter(codename="refund_order"))
    app = Client()
    app.force_login(holder)

    refund = post(app, f"/orders/{order['number']}/refunds/", {"reason": "x"}, key="r")
    assert refund.status_code == 403


def test_a_customer_is_refused_staff_operations_before_their_key_is_looked_at(customer):
    """A 403 first, as for any caller without the right: never the 422 of a key the
    customer used for something else, and no key claimed for a refused call."""
    app = Client()
    app.force_login(customer)
    number = place(app, guest_cart(app), key="theirs").json()["number"]
    claimed = IdempotencyKey.objects.count()

    refund = post(app, f"/orders/{number}/refunds/", {"reason": "x"}, key="theirs")
    capture = post(app, f"/orders/{number}/payments/1/capture/", key="theirs")
    assert (refund.status_code, capture.status_code) == (403, 403)
    assert IdempotencyKey.objects.count() == claimed


def test_the_longest_idempotency_keys_fit_what_placing_and_paying_store():
    longest = "k" * 255
    placed = place(Client(), guest_cart(Client()), key=longest).json()
    paid = post(
        Client(), f"/orders/{placed['number']}/payments/", {"provider": "sandbox", "card": VISA},
        longest, **with_access(placed["access_token"]),
    )  # fmt: skip

    assert paid.status_code == 201
    (stored,) = PlacedCheckout.objects.values_list("token", flat=True)
    assert len(stored) <= PlacedCheckout._meta.get_field("token").max_length
    attempt = Payment.objects.get().attempt_key
    assert len(attempt) <= Payment._meta.get_field("attempt_key").max_length


@pytest.mark.parametrize("skus", [["TEA-1"], ["TEA-1", "TEA-2"]])
def test_reading_a_guest_order_costs_the_same_whatever_it_holds(skus, django_assert_num_queries):
    token = post(Client(), "/cart/").json()["token"]
    for sku in skus:
        post(Client(), f"/cart/{token}/lines/", {"sku": sku, "quantity": 1})
    placed = place(Client(), token).json()
    app = Client()
    with django_assert_num_queries(QUERIES_TO_READ_AN_ORDER):
        response = app.get(
            f"{API}/orders/{placed['number']}/", **with_access(placed["access_token"])
        )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [[], "text", {"cart": ["x"], "number": 5, "email": {"a": 1}}, {"cart": "x" * 5000},
     {"number": "CM-\x00", "email": "a@example.com"}],
)  # fmt: skip
@pytest.mark.parametrize("path", ["/orders/", "/orders/lookup/", "/orders/CM-0000-0000/payments/"])
def test_hostile_guest_requests_are_refused_with_a_4xx(path, body):
    response = post(Client(), path, body, key="k", HTTP_ORDER_ACCESS_TOKEN="x" * 3000)
    assert 400 <= response.status_code < 500


def test_stock_that_ran_out_is_a_409_out_of_stock_with_the_shortages():
    """As adding an unavailable line is: an app branches on the code, not on the words."""
    app = Client()
    token = guest_cart(app, quantity=2)
    inventory_api.set_stock(sku="TEA-1", quantity=1)
    shortage = [{"sku": "TEA-1", "requested": 2, "available": 1}]
    for refused in (post(app, f"/cart/{token}/checkout/", DETAILS), place(app, token)):
        assert refused.status_code == 409, refused.content
        problem = refused.json()
        assert (problem["code"], problem["shortages"]) == ("out_of_stock", shortage)
        assert "TEA-1: only 1 left" in problem["detail"]
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("method", "message"), [("by-pigeon", "Choose a shipping method."), ("express", "ship to DE")]
)
def test_a_shipping_method_not_offered_for_the_address_is_a_422_on_the_field(method, message):
    """Any string is a shipping method to the schema (the methods are staff's data): one
    the shop does not offer, or not to this country, is a rule's 422, as an address the
    country refuses is; it was a 400, which tells the app its request was malformed."""
    from orders.shipping import ShippingMethod

    ShippingMethod.objects.filter(code="express").update(countries="AT, CH")
    token = guest_cart(Client())
    body = {**DETAILS, "shipping_method": method}
    preview = post(Client(), f"/cart/{token}/checkout/", body)
    placed = post(Client(), "/orders/", {"cart": token, **body}, key="k")

    for refused in (preview, placed):
        assert refused.status_code == 422, refused.content
        assert list(refused.json()["errors"]) == ["shipping_method"]
        assert message in refused.json()["errors"]["shipping_method"][0]
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "email",
    ["ada@\u200b.de", "ada@example.com\u200f", "ada@xn--a.de", "ada@localhost", "ada@[10.0.0.1]"],
)
def test_a_guest_email_no_mail_reaches_is_refused_naming_it(email):
    """Django's validator took it (any character above U+00A0 in a domain) and its mail
    sending fails on it: the order's confirmation would never arrive. "localhost" or an IP
    address would send the guest's order to a mailbox on the shop's own network."""
    app = Client()
    token = guest_cart(app)
    response = post(app, f"/cart/{token}/checkout/", {**DETAILS, "email": email})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]
