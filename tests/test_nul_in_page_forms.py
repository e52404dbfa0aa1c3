"""A NUL character typed or pasted into a page's form is that field's error, the rest of
what the shopper typed kept: the edge used to refuse the whole form with a bare 400 page
(kernel/edge.py). The API still refuses it at the edge, naming the field."""

import html
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from tests.builders import offer_product, ten_percent_voucher

pytestmark = pytest.mark.django_db

NUL_ERROR = "Null characters are not allowed."
KEPT = "Kept-Überall-42"
PASSWORD = "a much better passphrase 42"


@pytest.fixture
def customer():
    return get_user_model().objects.create_user("ada@example.com", "ada@example.com", PASSWORD)


@pytest.fixture
def signed_in(customer):
    client = Client(raise_request_exception=False)
    client.force_login(customer)
    return client


@pytest.fixture
def shop():
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=50)
    ten_percent_voucher()
    return apps.get_model("catalog.Product").objects.get().pk


ADDRESS = {"full_name": KEPT, "line1": "Invalidenstr. 1", "postal_code": "10115",
           "city": "Berlin", "country": "DE"}  # fmt: skip


def page_forms(product_id):
    """(path, the form's fields, the field given a NUL, the field whose value must be kept)"""
    return [
        ("/account/sign-up/",
         {"email": "new@example.com", "first_name": KEPT, "last_name": "B\x00b",
          "password1": PASSWORD, "password2": PASSWORD}, "last_name", "first_name"),
        ("/de/account/sign-up/",
         {"email": "new@example.com", "first_name": KEPT, "last_name": "B\x00b",
          "password1": PASSWORD, "password2": PASSWORD}, "last_name", "first_name"),
        ("/account/addresses/new/", {**ADDRESS, "city": "Ber\x00lin"}, "city", "full_name"),
        (f"/reviews/write/{product_id}/",
         {"rating": "5", "title": KEPT, "body": "Lovely\x00 tea."}, "body", "title"),
        ("/checkout/",
         {"email": "ada@example.com", "billing_same": "on", "shipping_method": "standard",
          **{f"ship-{name}": value for name, value in ADDRESS.items()},
          "ship-line1": "Invaliden\x00str. 1"}, "ship-line1", "ship-full_name"),
        ("/account/password/",
         {"old_password": PASSWORD, "new_password1": "x\x00", "new_password2": KEPT},
         "new_password1", None),
    ]  # fmt: skip


@pytest.mark.parametrize("index", range(6))
def test_a_nul_in_a_page_form_field_is_that_field_s_error_and_the_rest_is_kept(
    signed_in, shop, index
):
    path, fields, nul_field, kept_field = page_forms(shop)[index]
    client = Client() if "sign-up" in path else signed_in
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    client.get("/checkout/")

    response = client.post(path, fields)

    assert response.status_code == 200, response.content[:300]
    page = html.unescape(response.content.decode())
    message = "Nullzeichen sind nicht erlaubt." if path.startswith("/de/") else NUL_ERROR
    error = re.search(rf'<ul class="errorlist" id="id_{nul_field}_error"><li>([^<]*)</li>', page)
    assert error, page[page.find("<main") :][:3000]
    assert error.group(1) == message
    # Tied to its field, for a screen reader (Django's aria-describedby).
    described = rf'aria-describedby="[^"]*\bid_{nul_field}_error\b[^"]*" id="id_{nul_field}"'
    assert re.search(described, page)
    if kept_field:
        assert f'name="{kept_field}" value="{KEPT}"' in page


@pytest.mark.parametrize("path", ["/api/v1/accounts/addresses/", "/api/v1/cart/"])
def test_the_api_still_refuses_a_nul_in_a_form_field_naming_it(signed_in, path):
    response = signed_in.post(path, {"city": "Ber\x00lin"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"city": [NUL_ERROR]}


@pytest.mark.services
@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/cart/remove/", {"sku": "TEA-1\x00"}),
        ("/cart/vouchers/remove/", {"code": "TENOFF\x00"}),
        ("/reviews/{review}/report/", {"reason": "spam\x00"}),
    ],
)
@pytest.mark.usefixtures("postgres", "customer")
def test_a_nul_in_a_value_a_view_reads_without_a_form_is_no_500_on_postgresql(
    signed_in, shop, path, fields
):
    """PostgreSQL refuses a NUL in any query: these views read the value themselves."""
    from reviews import api as reviews_api
    from reviews.dtos import ReviewDraft

    author = get_user_model().objects.create_user("bo@example.com", "bo@example.com", "pw")
    review = reviews_api.write_review(
        customer_id=author.pk, author_name="Bo", product_id=shop,
        draft=ReviewDraft(rating=5, title="Lovely", body="Would buy again."),
    )  # fmt: skip
    signed_in.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    signed_in.post("/cart/vouchers/", {"code": "TENOFF"})

    response = signed_in.post(
        path.format(review=review.id), fields, HTTP_ORIGIN="http://testserver"
    )

    assert response.status_code == 302, response.content[:500]
