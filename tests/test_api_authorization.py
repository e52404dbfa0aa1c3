"""Every detail route of the schema: another customer gets a 404, exactly as for a resource
that does not exist, and an anonymous caller a 401.

The operations are read from the schema, so a route added later is walked
without anyone remembering to: each path parameter must name one of the
owner's resources below (``owned``), or the test fails until it does.
Three kinds of route answer differently:

* routes of a public resource (a product, its reviews and recommendations:
  first parameter in ``PUBLIC``) are readable by anyone and not walked;
* a cart is addressed by its secret token and guests have carts, so for a
  customer's cart an anonymous caller gets the same 404 as another customer;
* operations only staff may call (``STAFF_PERMISSIONS``) refuse a
  customer with 403 before looking anything up: nothing is revealed.
"""

import json
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from catalog import api as catalog_api
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
#: Path parameters of a secret (a cart token): anyone without it gets a 404.
SECRET = {"token"}
#: A valid body of each request schema a walked operation reads, so that a
#: refusal is about whose resource it is, not about the input.
BODIES = {
    "SavedAddress": {"label": "Work", "address": ADDRESS},
    "PatchedSavedAddress": {"label": "Work"},
    "CheckoutDetails": {"shipping_address": ADDRESS, "shipping_method": "standard"},
    "LineAdd": {"sku": "TEA-1", "quantity": 1},
    "PatchedQuantity": {"quantity": 1},
    "Voucher": {"code": "TENOFF"},
    "PaymentStart": {"provider": "bank_transfer"},
    "PaymentConfirm": {"token": "3ds-token"},
    "Refund": {"reason": "Damaged in transit."},
    "ReviewDraft": {"rating": 4, "title": "Mine", "body": "Changed my mind."},
    "Report": {"reason": "Not about the product."},
    "Vote": {"helpful": True},
}
#: Operations for staff only (``orders/rest.py``): a customer is refused outright.
STAFF_ONLY = {"orders_payments_capture_create", "orders_refunds_create"}


def detail_operations() -> list[tuple[str, str, str, str | None]]:
    """(method, path, operation id, request schema) of each operation on a non-public resource."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, operation["operationId"], request_schema(operation))
        for path, operations in schema["paths"].items()
        if "{" in path and re.findall(r"{(\w+)}", path)[0] not in PUBLIC
        for method, operation in operations.items()
    ]


def request_schema(operation: dict) -> str | None:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return body["schema"]["$ref"].rsplit("/", 1)[1] if body else None


def client_of(email: str | None) -> APIClient:
    client = APIClient()
    if email:
        client.force_authenticate(get_user_model().objects.create_user(email, email, "pw-123456"))
    return client


def call(client: APIClient, method: str, url: str, body: dict | None):
    """The request as an app would send it: a valid JSON body and an Idempotency-Key."""
    return client.generic(
        method, url, json.dumps(body or {}), "application/json",
        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    )  # fmt: skip


@pytest.fixture
def owned(db, settings):
    """The owner's order with a payment, cart with a line, saved address and pending review."""
    # Review writes are counted per customer id in the cache, which outlives
    # the test database (and its ids); this walk is not about that limit.
    settings.REVIEWS_WRITES_PER_HOUR = 10**6
    offer_product(sku="TEA-1", title="Green tea", slug="green-tea", price="4.50", stock=50)
    owner = client_of("owner@example.com")
    details = {"shipping_address": ADDRESS, "shipping_method": "standard"}
    order = buy(owner, details)
    payment = owner.post(
        f"/api/v1/orders/{order['number']}/payments/", {"provider": "bank_transfer"},
        format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
    ).json()  # fmt: skip
    token = fill_cart(owner)
    address = owner.post(
        "/api/v1/accounts/addresses/", {"label": "Home", "address": ADDRESS}, format="json"
    ).json()
    # Not a verified purchase, so the review waits for moderation: unpublished,
    # it is nobody else's to read, vote on or report.
    review = owner.post(
        "/api/v1/reviews/",
        {"product_id": catalog_api.products_by_sku(skus=["TEA-1"])["TEA-1"].id,
         "rating": 5, "title": "Fine", "body": "Good tea."},
        format="json",
    ).json()  # fmt: skip
    return {
        "token": token,
        "sku": "TEA-1",
        "code": "TENOFF",
        "address_id": address["id"],
        "number": order["number"],
        "payment_id": payment["id"],
        "review_id": review["id"],
    }


def fill_cart(client: APIClient) -> str:
    """The customer's cart with a line of TEA-1: its token."""
    token = client.post("/api/v1/cart/", {}, format="json").json()["token"]
    client.post(f"/api/v1/cart/{token}/lines/", {"sku": "TEA-1"}, format="json")
    return token


def buy(client: APIClient, details: dict) -> dict:
    """Check out and place the customer's cart: the order."""
    token = fill_cart(client)
    total = client.post(f"/api/v1/cart/{token}/checkout/", details, format="json").json()
    placing = {"cart": token, **details, "expected_total": total["grand_total"]["amount"]}
    return client.post(
        "/api/v1/orders/", placing, format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex
    ).json()


def test_the_walk_covers_every_owned_resource():
    walked = {path for _, path, _, _ in detail_operations()}
    assert {
        "/api/v1/cart/{token}/lines/{sku}/",
        "/api/v1/accounts/addresses/{address_id}/",
        "/api/v1/orders/{number}/",
        "/api/v1/orders/{number}/payments/{payment_id}/confirm/",
        "/api/v1/reviews/{review_id}/",
    } <= walked
    assert {operation_id for _, _, operation_id, _ in detail_operations()} >= STAFF_ONLY


@pytest.mark.parametrize(("method", "path", "operation_id", "body"), detail_operations())
def test_another_customer_gets_404_and_an_anonymous_caller_401(
    owned, method, path, operation_id, body
):
    # Requests have components of their own ("VoteRequest", COMPONENT_SPLIT_REQUEST).
    body = body and body.removesuffix("Request")
    assert body is None or body in BODIES, f"add a valid {body} to BODIES"
    url = path.format(**owned)
    other = call(client_of("other@example.com"), method, url, BODIES.get(body))
    anonymous = call(client_of(None), method, url, BODIES.get(body))

    refused = 403 if operation_id in STAFF_ONLY else 404
    assert other.status_code == refused, (method, url, other.content)
    assert other["Content-Type"] == "application/problem+json"
    secret = re.findall(r"{(\w+)}", path)[0] in SECRET
    assert anonymous.status_code == (404 if secret else 401), (method, url, anonymous.content)
    assert anonymous["Content-Type"] == "application/problem+json"


def test_the_owner_reaches_every_walked_resource(owned):
    """The 404s above are refusals, not typos: the owner's own reads succeed."""
    owner = APIClient()
    owner.force_authenticate(get_user_model().objects.get(email="owner@example.com"))
    for method, path, _, _ in detail_operations():
        if method == "GET":
            url = path.format(**owned)
            assert owner.get(url).status_code == 200, url
