"""The REST endpoints: a product's row and a basket's, documented in the schema,
with a 4xx naming the parameter for any bad input and a 503 when switched off."""

import io

import pytest
from django.core.management import call_command

from recommendations.tests.conftest import order

PRODUCT = "/api/v1/recommendations/products/{}/"
CART = "/api/v1/recommendations/cart/"


def test_a_products_row_with_reasons(client, shop):
    order(1, 5)
    order(1, 5)
    data = client.get(PRODUCT.format(1), {"limit": 3}).json()
    assert data["product_id"] == 1
    assert data["items"][0] == {"product_id": 5, "sku": "P-5", "reason": "bought_together"}
    assert [item["reason"] for item in data["items"][1:]] == ["similar", "similar"]


def test_a_baskets_row(client, shop):
    order(1, 5)
    order(1, 5)
    data = client.get(CART, {"skus": "P-1, P-1,NOPE"}).json()
    assert data["skus"] == ["P-1", "NOPE"]
    assert data["items"][0]["sku"] == "P-5"
    assert len(data["items"]) == 8


@pytest.mark.parametrize("product_id", ["999", str(2**63), "1" * 40])
def test_unknown_products_are_404(client, shop, product_id):
    assert client.get(PRODUCT.format(product_id)).status_code == 404


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (PRODUCT.format(1), {"limit": "0"}, "limit"),
        (PRODUCT.format(1), {"limit": "51"}, "limit"),
        (PRODUCT.format(1), {"limit": "many"}, "limit"),
        (CART, {}, "skus"),
        (CART, {"skus": " , ,"}, "skus"),
        (CART, {"skus": ",".join(f"S{n}" for n in range(101))}, "skus"),
        (CART, {"skus": "X" * 65}, "skus"),
        (CART, {"skus": "P-1", "limit": "-1"}, "limit"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, shop, url, params, field):
    response = client.get(url, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_switched_off_it_answers_503(client, shop, settings):
    settings.FAULT_INJECTION = {"recommendations": ("raise", 0.0)}
    assert client.get(PRODUCT.format(1)).status_code == 503
    assert client.get(CART, {"skus": "P-1"}).status_code == 503


def test_the_schema_documents_both_endpoints_and_their_errors(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    for operation in ("recommendations_for_product", "recommendations_for_cart"):
        start = schema.index(f"operationId: {operation}")
        section = schema[start : schema.find("operationId:", start + 1)]
        assert "'400':" in section
        assert "'503':" in section
