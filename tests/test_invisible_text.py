"""Required text made only of invisible characters (a zero-width space, pasted direction marks,
a byte order mark) is blank, in the API and on the pages: ``str.strip`` keeps them, so such a
name or review title passed as filled in and showed as nothing."""

import html
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from accounts import api as accounts_api
from accounts.dtos import InvalidAddress, PostalAddress
from accounts.forms import SignUpForm
from reviews.dtos import InvalidReview, ReviewDraft
from reviews.services import check_draft
from tests.builders import offer_product

pytestmark = pytest.mark.django_db

PASSWORD = "a much better passphrase 42"
#: Each shows nothing: direction marks, a zero-width space between spaces, a word joiner,
#: a byte order mark with a soft hyphen, a tag character (beyond the BMP).
NOTHING_SHOWN = ["\u200f\u200e", " \u200b ", "\u2060", "\ufeff\u00ad", "\U000e0020"]
ADDRESS = {"full_name": "Ada Lovelace", "line1": "Invalidenstr. 1", "postal_code": "10115",
           "city": "Berlin", "country": "DE"}  # fmt: skip
REVIEW = {"rating": 4, "title": "Lovely", "body": "Would buy again."}
SIGN_UP = {"email": "new@example.com", "first_name": "Ada", "last_name": "Lovelace",
           "password": PASSWORD}  # fmt: skip


@pytest.fixture
def signed_in():
    customer = get_user_model().objects.create_user("ada@example.com", "ada@example.com", "pw")
    client = Client(raise_request_exception=False)
    client.force_login(customer)
    return client


@pytest.fixture
def product_id():
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=50)
    return apps.get_model("catalog.Product").objects.get().pk


def _with(body: dict, path: str, value: str) -> dict:
    """``body`` with the field at the dotted ``path`` set to ``value``."""
    head, _, rest = path.partition(".")
    return {**body, head: _with(body[head], rest, value) if rest else value}


def api_routes(product_id, review_id, cart_token):
    """(method, path, a valid body, the required text field, by its error path)"""
    return [
        ("post", "/api/v1/accounts/addresses/", {"address": ADDRESS}, "address.full_name"),
        ("post", "/api/v1/accounts/addresses/", {"address": ADDRESS}, "address.line1"),
        ("post", "/api/v1/accounts/addresses/", {"address": ADDRESS}, "address.city"),
        ("post", "/api/v1/reviews/", {**REVIEW, "product_id": product_id}, "title"),
        ("post", "/api/v1/reviews/", {**REVIEW, "product_id": product_id}, "body"),
        ("put", f"/api/v1/reviews/{review_id}/", REVIEW, "title"),
        ("put", f"/api/v1/reviews/{review_id}/", REVIEW, "body"),
        ("post", "/api/v1/auth/sign-up/", SIGN_UP, "first_name"),
        ("post", "/api/v1/auth/sign-up/", SIGN_UP, "last_name"),
        ("post", f"/api/v1/cart/{cart_token}/checkout/",
         {"email": "guest@example.com", "shipping_address": ADDRESS,
          "billing_address": ADDRESS, "shipping_method": "standard"},
         "shipping_address.full_name"),
    ]  # fmt: skip


@pytest.mark.parametrize("value", NOTHING_SHOWN)
@pytest.mark.parametrize("index", range(10))
def test_required_text_that_shows_nothing_is_refused_by_the_api_naming_it(
    signed_in, product_id, index, value
):
    review = signed_in.post(
        "/api/v1/reviews/", {**REVIEW, "product_id": product_id}, content_type="application/json"
    )
    assert review.status_code == 201, review.content[:300]
    cart = Client().post("/api/v1/cart/", content_type="application/json").json()["token"]
    Client().post(
        f"/api/v1/cart/{cart}/lines/",
        {"sku": "TEA-1", "quantity": 1},
        content_type="application/json",
    )
    method, path, body, field = api_routes(product_id, review.json()["id"], cart)[index]
    client = signed_in if "/accounts/" in path or "/reviews/" in path else Client()
    if "/reviews/" in path and method == "post":
        body = {**body, "title": "Another"}

    response = getattr(client, method)(
        path, _with(body, field, value), content_type="application/json"
    )

    assert response.status_code in (400, 422), response.content[:300]
    assert list(response.json()["errors"]) == [field]


def page_forms(product_id):
    """(path, the form's fields, the required text field)"""
    sign_up = {"email": "new@example.com", "first_name": "Ada", "last_name": "Lovelace",
               "password1": PASSWORD, "password2": PASSWORD}  # fmt: skip
    review = {"rating": "5", "title": "Lovely", "body": "Would buy again."}
    checkout = {"email": "ada@example.com", "billing_same": "on", "shipping_method": "standard",
                **{f"ship-{name}": value for name, value in ADDRESS.items()}}  # fmt: skip
    return [
        ("/account/sign-up/", sign_up, "first_name"),
        ("/account/sign-up/", sign_up, "last_name"),
        ("/account/addresses/new/", ADDRESS, "full_name"),
        ("/account/addresses/new/", ADDRESS, "line1"),
        ("/account/addresses/new/", ADDRESS, "city"),
        (f"/reviews/write/{product_id}/", review, "title"),
        (f"/reviews/write/{product_id}/", review, "body"),
        ("/checkout/", checkout, "ship-full_name"),
        ("/checkout/", checkout, "ship-city"),
    ]


@pytest.mark.parametrize("value", NOTHING_SHOWN)
@pytest.mark.parametrize("index", range(9))
def test_required_text_that_shows_nothing_is_that_field_s_error_on_the_pages(
    signed_in, product_id, index, value
):
    path, fields, field = page_forms(product_id)[index]
    client = Client() if "sign-up" in path else signed_in
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    client.get("/checkout/")

    response = client.post(path, {**fields, field: value})

    assert response.status_code == 200, response.content[:300]
    page = html.unescape(response.content.decode())
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error"><li>([^<]*)</li>', page)
    assert error, page[page.find("<main") :][:3000]
    assert error.group(1) == "This field is required."


def staff_forms():
    """(form class, its keyword arguments) of the back office, each with a required reason."""
    from inventory.forms import AdjustmentForm
    from orders.admin_actions import CancelForm, LineCancelForm, RefundForm
    from reviews.admin import RejectForm

    order = SimpleNamespace(refundable="12.50 EUR", lines=SimpleNamespace(all=list))
    return [
        (CancelForm, {"order": order}),
        (RefundForm, {"order": order}),
        (LineCancelForm, {"order": order}),
        (RejectForm, {}),
        (AdjustmentForm, {}),
    ]


@pytest.mark.parametrize("value", NOTHING_SHOWN)
@pytest.mark.parametrize("index", range(5))
def test_a_reason_that_shows_nothing_is_required_in_the_back_office(index, value):
    form_class, kwargs = staff_forms()[index]

    form = form_class(data={"reason": value}, **kwargs)

    assert not form.is_valid()
    assert form.errors["reason"] == ["This field is required."]


# Below the API and the pages, the owners' own checks refuse it too, whatever calls them
# (an import, the admin, a later route): a country's address rule, a review's draft, and
# the sign-up form the page and the API share.


@pytest.mark.parametrize("text", NOTHING_SHOWN)
@pytest.mark.parametrize("field", ["full_name", "line1", "city"])
def test_an_address_field_of_invisible_characters_is_required(field, text):
    fields = {"full_name": "Ada", "line1": "Main Street 1", "postal_code": "10115",
              "city": "Berlin", "country": "DE", field: text}  # fmt: skip
    with pytest.raises(InvalidAddress) as refused:
        accounts_api.validate_address(address=PostalAddress(**fields))
    assert field in refused.value.errors


@pytest.mark.parametrize("text", NOTHING_SHOWN)
@pytest.mark.parametrize("field", ["title", "body"])
def test_a_review_of_invisible_characters_is_refused(field, text):
    draft = {"rating": 5, "title": "Good", "body": "Works well.", "pros": "", "cons": ""}
    with pytest.raises(InvalidReview) as refused:
        check_draft(ReviewDraft(**{**draft, field: text}))
    assert field in refused.value.errors


@pytest.mark.parametrize("text", NOTHING_SHOWN)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_name_of_invisible_characters_is_refused_at_sign_up(field, text):
    data = {"email": "new@example.com", "first_name": "Ada", "last_name": "Lovelace",
            "password1": PASSWORD, "password2": PASSWORD}  # fmt: skip
    form = SignUpForm({**data, field: text})
    assert not form.is_valid()
    assert form.errors[field]
