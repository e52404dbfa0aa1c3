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
def test_an_anonymous_caller_is_counted_by_the_anonymous_rate_alone(rates):
    rates(anon="3/minute", user="1/minute")
    client = APIClient()
    statuses = [client.get("/api/v1/catalog/categories/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


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


@pytest.mark.django_db
def test_signed_in_callers_are_counted_per_user_not_per_address(rates, django_user_model):
    rates(user="1/minute")
    ada = django_user_model.objects.create_user("ada@example.com", "ada@example.com", "pw")
    grace = django_user_model.objects.create_user("grace@example.com", "grace@example.com", "pw")
    clients = {}
    for user in (ada, grace):
        clients[user] = APIClient(REMOTE_ADDR="10.0.0.9")
        clients[user].force_authenticate(user)
    assert clients[ada].get("/api/v1/accounts/me/").status_code == 200
    assert clients[grace].get("/api/v1/accounts/me/").status_code == 200  # same address
    refused = clients[ada].get("/api/v1/accounts/me/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("sign-in/", {"email": "nobody@example.com", "password": "wrong"}),
        ("sign-up/", {"email": "not an address"}),
        ("password-reset/", {"email": "nobody@example.com"}),
        # A guessed link: refused as invalid, and guessing is throttled like signing in.
        (
            "password-reset/confirm/",
            {"uid": "MQ", "token": "guess", "new_password": "a long passphrase"},
        ),
    ],
)
def test_sign_in_sign_up_and_reset_share_the_stricter_auth_scope(rates, path, body):
    rates(anon="100/minute", auth="2/minute")
    client = APIClient(REMOTE_ADDR="10.0.0.10")
    statuses = [
        client.post(f"/api/v1/auth/{path}", body, format="json").status_code for _ in range(3)
    ]
    assert 429 not in statuses[:2]
    assert statuses[2] == 429
    refused = client.post(f"/api/v1/auth/{path}", body, format="json")
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) > 0
