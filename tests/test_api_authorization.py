"""Every customer-owned detail route of the schema: another customer gets a 404, exactly as
for a resource that does not exist, and an anonymous caller a 401 or that 404.

The routes are read from the schema, so a new owned route cannot be added
without being walked here: it must take the owner's resources below or
be named in ``PUBLIC`` (anyone may read it) or ``WALKED_ELSEWHERE``.
Anonymous callers get 401 where a signed-in customer is required (the app's
token authentication answers first, docs/api.md); a cart is addressed by
its secret token, so for a customer's cart anyone else gets the 404.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.builders import offer_product

ADDRESS = {
    "full_name": "Ada Lovelace",
    "line1": "Invalidenstr. 1",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
}
#: Routes whose first parameter is one of these are readable by anyone: a
#: product, its reviews, its recommendations.
PUBLIC = {"key", "sku", "product_id"}
#: Orders, payments and reviews: their owners' 404s are proven by
#: orders/tests/test_rest.py and reviews/tests/test_rest.py.
WALKED_ELSEWHERE = {"number", "payment_id", "review_id"}


def detail_routes() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if "{" in path
        for method in operations
        if re.findall(r"{(\w+)}", path)[0] not in PUBLIC | WALKED_ELSEWHERE
    ]


def client_of(email: str | None) -> APIClient:
    client = APIClient()
    if email:
        client.force_authenticate(get_user_model().objects.create_user(email, email, "pw-123456"))
    return client


@pytest.fixture
def owned(db):
    """The owner's cart (a line and a voucher slot) and saved address."""
    offer_product(sku="TEA-1", title="Green tea", slug="green-tea", price="4.50", stock=50)
    owner = client_of("owner@example.com")
    token = owner.post("/api/v1/cart/", {}, format="json").json()["token"]
    owner.post(f"/api/v1/cart/{token}/lines/", {"sku": "TEA-1"}, format="json")
    address = owner.post(
        "/api/v1/accounts/addresses/", {"label": "Home", "address": ADDRESS}, format="json"
    ).json()
    return {"token": token, "sku": "TEA-1", "code": "TENOFF", "address_id": address["id"]}


def test_the_walk_covers_the_owned_routes():
    walked = {path for _, path in detail_routes()}
    assert "/api/v1/cart/{token}/lines/{sku}/" in walked
    assert "/api/v1/accounts/addresses/{address_id}/" in walked


@pytest.mark.parametrize(("method", "path"), detail_routes())
def test_another_customer_gets_404_and_an_anonymous_caller_401_or_404(owned, method, path):
    url = path.format(**owned)
    other = client_of("other@example.com").generic(method, url, "{}", "application/json")
    assert other.status_code == 404, (method, url, other.content)
    assert other["Content-Type"] == "application/problem+json"
    anonymous = client_of(None).generic(method, url, "{}", "application/json")
    assert anonymous.status_code in (401, 404), (method, url, anonymous.content)
