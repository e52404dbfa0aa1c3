"""The cart: lines, limits, fresh prices, vouchers, merge at sign-in, pages and REST."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from kernel.money import Money
from kernel.tests.queries import captured_queries
from orders.cart import services as carts
from orders.cart.pricing import priced_cart, shopper_of
from orders.dtos import CartError
from orders.models import Cart
from pricing import api as pricing_api
from pricing.dtos import Shopper

pytestmark = pytest.mark.usefixtures("shop")
GUEST = Shopper()


@pytest.fixture
def cart(db):
    return carts.cart_create(currency="EUR", visitor_id="visitor-0123456789")


def quantities(cart: Cart) -> dict[str, int]:
    return dict(cart.lines.values_list("sku", "quantity"))


def test_adding_the_same_sku_again_adds_to_its_line(cart):
    carts.cart_add(cart=cart, sku="TEA-1", quantity=2, shopper=GUEST)
    carts.cart_add(cart=cart, sku="TEA-1", quantity=1, shopper=GUEST)
    carts.cart_add(cart=cart, sku="TEA-2", quantity=1, shopper=GUEST)
    assert quantities(cart) == {"TEA-1": 3, "TEA-2": 1}


def test_quantity_change_and_removal(cart):
    carts.cart_add(cart=cart, sku="TEA-1", quantity=2, shopper=GUEST)
    carts.cart_add(cart=cart, sku="TEA-2", quantity=1, shopper=GUEST)
    carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=5)
    carts.cart_set_quantity(cart=cart, sku="TEA-2", quantity=0)
    assert quantities(cart) == {"TEA-1": 5}
    carts.cart_remove(cart=cart, sku="TEA-1")
    assert quantities(cart) == {}
    with pytest.raises(CartError, match="not in your cart"):
        carts.cart_remove(cart=cart, sku="TEA-1")


def test_limits_per_line_and_per_cart(cart, settings):
    settings.PRICING_MAX_LINE_QUANTITY = 5
    settings.PRICING_MAX_LINES = 1
    carts.cart_add(cart=cart, sku="TEA-1", quantity=4, shopper=GUEST)
    with pytest.raises(CartError, match="already holds 4") as refused:
        carts.cart_add(cart=cart, sku="TEA-1", quantity=2, shopper=GUEST)
    assert refused.value.field == "quantity"
    with pytest.raises(CartError, match="between 1 and 5"):
        carts.cart_add(cart=cart, sku="TEA-1", quantity=6, shopper=GUEST)
    with pytest.raises(CartError, match=r"between 0 \(to remove the item\) and 5"):
        carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=6)
    with pytest.raises(CartError, match="at most 1 different"):
        carts.cart_add(cart=cart, sku="TEA-2", quantity=1, shopper=GUEST)
    assert quantities(cart) == {"TEA-1": 4}


def test_a_sku_without_a_price_cannot_be_added(cart):
    with pytest.raises(CartError, match="cannot be bought") as refused:
        carts.cart_add(cart=cart, sku="NOPE-1", quantity=1, shopper=GUEST)
    assert refused.value.field == "sku"


def test_prices_are_fresh_and_a_change_since_adding_is_shown(cart):
    carts.cart_add(cart=cart, sku="TEA-1", quantity=2, shopper=GUEST)
    pricing_api.set_price(sku="TEA-1", price=Money(Decimal("13.00"), "EUR"))
    view = priced_cart(cart=cart, shopper=GUEST)
    (line,) = view.lines
    assert line.unit_price == Money(Decimal("13.00"), "EUR")
    assert line.added_unit_price.rounded() == Money(Decimal("12.50"), "EUR")
    assert line.price_changed
    assert line.price_went_up
    assert view.quote.total.rounded() == Money(Decimal("26.00"), "EUR")


def test_vouchers_are_applied_and_removed_with_pricings_reasons(cart):
    with pytest.raises(CartError, match="before entering a voucher"):
        carts.voucher_apply(cart=cart, code="TENOFF", shopper=GUEST)
    carts.cart_add(cart=cart, sku="TEA-1", quantity=2, shopper=GUEST)
    assert carts.voucher_apply(cart=cart, code=" tenoff ", shopper=GUEST) == "TENOFF"
    assert priced_cart(cart=cart, shopper=GUEST).quote.total.rounded().amount == Decimal("22.50")
    with pytest.raises(CartError, match="already applied"):
        carts.voucher_apply(cart=cart, code="TENOFF", shopper=GUEST)
    with pytest.raises(CartError, match="NOSUCH") as refused:
        carts.voucher_apply(cart=cart, code="NOSUCH", shopper=GUEST)
    assert refused.value.field == "code"
    assert "valid" in str(refused.value)
    carts.voucher_remove(cart=cart, code="TENOFF")
    assert priced_cart(cart=cart, shopper=GUEST).quote.total.rounded().amount == Decimal("25.00")


def test_merge_adds_quantities_capped_and_keeps_valid_vouchers(customer, settings):
    settings.PRICING_MAX_LINE_QUANTITY = 5
    mine = carts.cart_create(currency="EUR", customer_id=customer.pk)
    carts.cart_add(cart=mine, sku="TEA-1", quantity=3, shopper=GUEST)
    anonymous = carts.cart_create(currency="EUR")
    carts.cart_add(cart=anonymous, sku="TEA-1", quantity=4, shopper=GUEST)
    carts.cart_add(cart=anonymous, sku="TEA-2", quantity=1, shopper=GUEST)
    carts.voucher_apply(cart=anonymous, code="TENOFF", shopper=GUEST)
    anonymous.voucher_codes.append("GONE")  # a code pricing no longer knows
    anonymous.save()

    merged = carts.cart_merge(
        source=anonymous, customer_id=customer.pk, shopper=shopper_of(customer)
    )

    assert merged.pk == mine.pk
    assert quantities(merged) == {"TEA-1": 5, "TEA-2": 1}
    assert merged.voucher_codes == ["TENOFF"]
    assert not Cart.objects.filter(pk=anonymous.pk).exists()


def test_without_a_customer_cart_the_anonymous_cart_becomes_theirs(customer):
    anonymous = carts.cart_create(currency="EUR")
    carts.cart_add(cart=anonymous, sku="TEA-2", quantity=2, shopper=GUEST)
    merged = carts.cart_merge(source=anonymous, customer_id=customer.pk, shopper=GUEST)
    assert merged.pk == anonymous.pk
    assert merged.customer_id == customer.pk


# --- Pages -----------------------------------------------------------------


def test_guest_adds_from_the_product_page_and_sees_cart_and_header_count(client):
    page = client.get("/products/green-tea/").content.decode()
    assert 'action="/cart/add/"' in page
    assert 'value="TEA-1"' in page
    response = client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    page = client.get("/cart/")
    text = page.content.decode()
    assert "Green Tea" in text
    assert "EUR 25.00" in text
    assert '<span class="minicart-count">2</span>' in text
    visitor = client.cookies["visitor_id"].value
    assert Cart.objects.get().visitor_id == visitor  # experiment prices follow the visitor


def test_a_quantity_of_thousands_of_digits_is_refused_with_the_quantity_message(client):
    """More digits than int() reads (4300) was a 500 on both forms."""
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    for path in ("/cart/add/", "/cart/update/"):
        response = client.post(path, {"sku": "TEA-1", "quantity": "9" * 5000}, follow=True)
        assert response.status_code == 200, path
        assert "Choose" in response.content.decode(), path
    assert client.get("/cart/").context["cart"].lines[0].quantity == 1


def test_the_cart_page_shows_specific_refusals(client):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    response = client.post("/cart/vouchers/", {"code": "NOSUCH"}, follow=True)
    assert "NOSUCH:" in response.content.decode()
    response = client.post("/cart/update/", {"sku": "TEA-1", "quantity": "abc"}, follow=True)
    assert response.status_code == 200
    assert "Choose a quantity" in response.content.decode()


def test_signing_in_merges_the_session_cart(client, customer):
    mine = carts.cart_create(currency="EUR", customer_id=customer.pk)
    carts.cart_add(cart=mine, sku="TEA-2", quantity=1, shopper=GUEST)
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    client.force_login(customer)
    assert quantities(mine) == {"TEA-1": 2, "TEA-2": 1}
    assert '<span class="minicart-count">3</span>' in client.get("/cart/").content.decode()


def test_the_minicart_costs_no_query_without_a_cart_and_warm_none_with_one(
    client, django_assert_max_num_queries
):
    from django.template import engines
    from django.test import RequestFactory

    from orders.context_processors import minicart

    request = RequestFactory().get("/")
    request.session = {}
    with django_assert_max_num_queries(0):
        assert minicart(request) == {"cart_item_count": 0}
    cart = carts.cart_create(currency="EUR")
    carts.cart_add(cart=cart, sku="TEA-1", quantity=3, shopper=GUEST)
    request.session = {"orders.cart_id": cart.pk}
    template = engines["django"].from_string("{{ cart_item_count }}")
    with django_assert_max_num_queries(1):
        assert template.render(minicart(request)) == "3"
    with django_assert_max_num_queries(0):  # cached: orders/cart/counts.py
        assert template.render(minicart(request)) == "3"


# --- REST --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "status"),
    [(2, 201), (2.0, 201), ("2", 400), (True, 400), ("two", 400), (2.5, 400)],
)
def test_rest_numbers_are_json_numbers_as_the_schema_says(client, quantity, status):
    """DRF would read "2" and true as quantities; the schema says integer."""
    token = client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    line = {"sku": "TEA-1", "quantity": quantity}
    answer = client.post(f"/api/v1/cart/{token}/lines/", line, content_type="application/json")
    assert answer.status_code == status
    if status == 400:
        assert answer.json()["errors"] == {"quantity": ["A valid integer is required."]}


def test_rest_cart_round_trip(client):
    created = client.post("/api/v1/cart/", {}, content_type="application/json")
    assert created.status_code == 201
    token = created.json()["token"]
    base = f"/api/v1/cart/{token}/"
    priced = client.post(
        base + "lines/",
        {"sku": "TEA-1", "quantity": 2, "unit_price": "0.01"},
        content_type="application/json",
    )
    assert priced.status_code == 400  # no request sets a price; bodies are closed
    assert priced.json()["errors"] == {"unit_price": ["Not a field of this request."]}
    added = client.post(
        base + "lines/", {"sku": "TEA-1", "quantity": 2}, content_type="application/json"
    )
    assert added.status_code == 201
    assert added.json()["totals"]["total"] == {"amount": "25.00", "currency": "EUR"}
    assert (
        client.patch(
            base + "lines/TEA-1/", {"quantity": 3}, content_type="application/json"
        ).json()["item_count"]
        == 3
    )
    applied = client.post(base + "vouchers/", {"code": "TENOFF"}, content_type="application/json")
    assert applied.json()["totals"]["total"]["amount"] == "33.75"
    assert client.delete(base + "vouchers/TENOFF/").json()["voucher_codes"] == []
    assert client.delete(base + "lines/TEA-1/").json()["lines"] == []


def test_rest_bad_input_is_a_field_level_400(client):
    token = client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    base = f"/api/v1/cart/{token}/"
    bad = client.post(
        base + "lines/", {"sku": "TEA-1", "quantity": 0}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "quantity" in bad.json()["errors"]
    missing = client.post(base + "lines/", {"sku": "NOPE"}, content_type="application/json")
    assert missing.status_code == 404  # well formed, names nothing on sale
    assert (missing.json()["code"], missing.json()["sku"]) == ("not_for_sale", "NOPE")
    assert "sku" in missing.json()["errors"]
    client.post(base + "lines/", {"sku": "TEA-1"}, content_type="application/json")
    missing = client.post(base + "vouchers/", {"code": "NOSUCH"}, content_type="application/json")
    assert missing.status_code == 404
    assert missing.json()["code"] == "voucher_unknown"
    assert "NOSUCH" in missing.json()["errors"]["code"][0]
    bad = client.patch(base + "lines/TEA-1/", {"quantity": "x"}, content_type="application/json")
    assert bad.status_code == 400
    assert "quantity" in bad.json()["errors"]


def test_rest_taking_out_what_is_not_in_the_cart_is_a_404(client):
    token = client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    base = f"/api/v1/cart/{token}/"
    missing = client.delete(base + "lines/TEA-1/")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "This product is not in your cart."
    missing = client.delete(base + "vouchers/TENOFF/")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "TENOFF is not applied to your cart."
    changed = client.patch(base + "lines/TEA-1/", {"quantity": 2}, content_type="application/json")
    assert changed.status_code == 404
    assert changed.json()["detail"] == "This product is not in your cart."


def test_another_customers_cart_is_a_404_on_every_route(client, customer, other_customer):
    theirs = carts.cart_create(currency="EUR", customer_id=other_customer.pk)
    carts.cart_add(cart=theirs, sku="TEA-1", quantity=1, shopper=GUEST)
    carts.voucher_apply(cart=theirs, code="TENOFF", shopper=GUEST)
    client.force_login(customer)
    base = f"/api/v1/cart/{theirs.token}/"
    json = "application/json"
    answers = [
        client.get(base),
        client.post(base + "lines/", {"sku": "TEA-2"}, content_type=json),
        client.patch(base + "lines/TEA-1/", {"quantity": 5}, content_type=json),
        client.delete(base + "lines/TEA-1/"),
        client.post(base + "vouchers/", {"code": "LASTONE"}, content_type=json),
        client.delete(base + "vouchers/TENOFF/"),
    ]
    assert [a.status_code for a in answers] == [404] * 6
    client.logout()
    assert client.get(base).status_code == 404  # a customer's cart is never a guest's
    assert quantities(theirs) == {"TEA-1": 1}
    assert theirs.voucher_codes == ["TENOFF"]


def test_a_signed_in_create_returns_the_customers_one_cart(client, customer):
    client.force_login(customer)
    first = client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    again = client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    assert first == again
    assert get_user_model().objects.count() == 1


def test_the_cart_page_costs_the_same_queries_for_one_or_two_lines(client):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    client.get("/cart/")  # warm caches (settings, visitor cookie)
    with captured_queries() as one:
        client.get("/cart/")
    client.post("/cart/add/", {"sku": "TEA-2", "quantity": "1"})
    client.get("/cart/")  # the new SKU's cached reads (placement, tax class), as for the first
    with captured_queries() as two:
        client.get("/cart/")
    assert len(two) == len(one)


@pytest.mark.parametrize(
    ("code", "said"),
    [("", "Enter a voucher code."), ("X" * 65, "A voucher code has at most 64 characters.")],
)
def test_a_voucher_code_the_form_refuses_is_told_why(client, code, said):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    cart = client.post("/cart/vouchers/", {"code": code}, follow=True).content.decode()
    assert said in cart
