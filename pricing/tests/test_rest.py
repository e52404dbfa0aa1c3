"""POST /api/v1/pricing/quote/: basket in, quote out; bad input is a 400 naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from pricing.models import PriceList, PriceListEntry, Voucher
from pricing.tests.conftest import promotion

pytestmark = pytest.mark.usefixtures("shop")

URL = "/api/v1/pricing/quote/"


@pytest.fixture
def client():
    return APIClient()


def post(client, **body):
    return client.post(URL, body, format="json")


def test_a_basket_in_a_quote_out(client):
    promotion("tea-week", reason="10 % off tea", percent=10, targets=[("category", "coffee-tea")])
    response = post(client, lines=[{"sku": "TEA-1", "quantity": 2}], currency="EUR")
    assert response.status_code == 200
    body = response.json()
    (line,) = body["lines"]
    assert line["unit_price"] == {"amount": "10.00", "currency": "EUR"}
    assert line["discounts"] == [
        {
            "promotion": "tea-week",
            "reason": "10 % off tea",
            "amount": {"amount": "2.00", "currency": "EUR"},
            "voucher_code": None,
        }
    ]
    assert body["total"] == {"amount": "18.00", "currency": "EUR"}
    assert body["tax"] == {"amount": "2.87", "currency": "EUR"}
    assert (body["prices_include_tax"], body["tax_country"]) == (True, "DE")


def test_a_signed_in_wholesale_customer_gets_the_group_price(client):
    user = User.objects.create_user("trader")
    user.groups.add(Group.objects.create(name="wholesale"))
    price_list = PriceList.objects.create(name="Trade", customer_group="wholesale")
    PriceListEntry.objects.create(price_list=price_list, sku="PAN-1", currency="EUR", amount=40)
    client.force_authenticate(user)
    body = post(client, lines=[{"sku": "PAN-1", "quantity": 1}]).json()
    assert body["lines"][0]["unit_price"]["amount"] == "40.00"
    assert body["lines"][0]["compare_at"]["amount"] == "50.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": [{"sku": "TEA-1", "quantity": 1}], "currency": "EURO"}, "currency"),
        ({"lines": [{"sku": "TEA-1", "quantity": -1}]}, "lines"),
        ({"lines": [{"sku": "TEA-1", "quantity": 1000}]}, "lines"),
        ({"lines": [{"sku": "TEA-1", "quantity": "many"}]}, "lines"),
        ({"lines": []}, "lines"),
        ({"lines": [{"sku": "TEA-1", "quantity": 1}] * 101}, "lines"),
        ({}, "lines"),
        ({"lines": [{"sku": "TEA-1", "quantity": 1}], "country": "Germany"}, "country"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, body, field):
    response = post(client, **body)
    assert response.status_code == 400
    assert {path.split(".")[0] for path in response.json()["errors"]} == {field}


def test_lines_of_one_sku_over_the_line_limit_together_are_a_422(client):
    """Each line is within the schema's ``maximum``; only their sum for one SKU is not,
    a rule no schema states: 422 (a 400 says the request breaks the schema)."""
    line = {"sku": "TEA-1", "quantity": 600}
    response = post(client, lines=[line, line])
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["lines"]


def test_negative_quantity_names_the_line_and_its_field(client):
    response = post(
        client, lines=[{"sku": "TEA-1", "quantity": 1}, {"sku": "TEA-2", "quantity": -3}]
    )
    assert response.json()["errors"] == {
        "lines.1.quantity": ["Ensure this value is greater than or equal to 1."]
    }


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"lines": [{"sku": "NOPE", "quantity": 1}]}, "unknown_sku", "lines"),
        (
            {"lines": [{"sku": "TEA-1", "quantity": 1}], "voucher_codes": ["NOPE"]},
            "voucher_unknown",
            "voucher_codes",
        ),
    ],
)
def test_naming_what_does_not_exist_is_a_404_naming_the_field(client, body, code, field):
    response = post(client, **body)
    assert response.status_code == 404
    assert response.json()["code"] == code
    assert list(response.json()["errors"]) == [field]


def test_voucher_refusal_is_specific(client):
    offer = promotion("big", scope="order", percent=10, requires_voucher=True)
    Voucher.objects.create(
        code="BIG50", promotion=offer, min_order_amount=Decimal(50), min_order_currency="EUR"
    )
    response = post(client, lines=[{"sku": "TEA-1", "quantity": 1}], voucher_codes=["big50"])
    assert response.status_code == 409  # the voucher exists; this basket does not qualify
    assert response.json()["code"] == "voucher_refused"
    assert response.json()["errors"] == {
        "voucher_codes": ["BIG50: needs a minimum order of EUR 50.00"]
    }


def test_the_schema_describes_the_endpoint(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/pricing/quote/" in response.content
