"""The API's protection: throttles answer 429 + Retry-After as a problem; CORS only on
/api/; public catalog reads are gzipped."""

import gzip
import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.builders import build_structure, simple_product

RATES = {"anon": None, "user": None, "auth": None, "vouchers": None}


@pytest.fixture
def rates(settings):
    """Set some throttle rates for one test, with fresh counters."""
    cache.clear()

    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**RATES, **rates},
        }

    yield set_rates
    cache.clear()


@pytest.mark.django_db
def test_an_anonymous_caller_over_the_rate_gets_a_429_problem_with_retry_after(rates):
    rates(anon="2/minute")
    client = APIClient()
    statuses = [client.get("/api/v1/catalog/categories/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get("/api/v1/catalog/categories/")
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


@pytest.mark.django_db
def test_addresses_are_counted_apart(rates):
    rates(anon="1/minute")
    assert APIClient(REMOTE_ADDR="10.0.0.1").get("/api/v1/catalog/categories/").status_code == 200
    assert APIClient(REMOTE_ADDR="10.0.0.2").get("/api/v1/catalog/categories/").status_code == 200
    assert APIClient(REMOTE_ADDR="10.0.0.1").get("/api/v1/catalog/categories/").status_code == 429


@pytest.mark.django_db
def test_voucher_tries_have_their_own_stricter_scope(rates):
    rates(vouchers="2/hour")
    client = APIClient()
    token = client.post("/api/v1/cart/", {}, format="json").json()["token"]
    url = f"/api/v1/cart/{token}/vouchers/"
    tries = [client.post(url, {"code": f"GUESS{n}"}, format="json") for n in range(3)]
    assert [t.status_code for t in tries[:2]] != [429, 429]
    assert tries[2].status_code == 429
    assert "Retry-After" in tries[2]
    assert client.get(f"/api/v1/cart/{token}/").status_code == 200  # the cart itself is not


@pytest.mark.django_db
def test_cors_answers_configured_origins_on_the_api_only(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    client = APIClient()
    api = client.get("/api/v1/catalog/categories/", HTTP_ORIGIN="https://app.example.com")
    assert api["Access-Control-Allow-Origin"] == "https://app.example.com"
    other = client.get("/api/v1/catalog/categories/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    shop = client.get("/", HTTP_ORIGIN="https://app.example.com")
    assert "Access-Control-Allow-Origin" not in shop


@pytest.mark.django_db
def test_catalog_reads_are_gzipped_and_still_conditional():
    build_structure()
    for n in range(3):
        simple_product(sku=f"TEA-{n}", category="kitchen")
    client = APIClient()
    plain = client.get("/api/v1/catalog/products/")
    zipped = client.get("/api/v1/catalog/products/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    again = client.get(
        "/api/v1/catalog/products/",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=zipped["ETag"],
    )
    assert again.status_code == 304
