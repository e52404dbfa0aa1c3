"""The 500s the hostile-input walk found in routes, each pinned on the default database."""

from urllib.parse import unquote

import pytest
from django.test import Client

from tests.builders import offer_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_refused_cart_form_whose_next_is_not_a_url_goes_back_there_as_a_path(client):
    offer_product(sku="TEA-1", title="Green Tea", slug="green-tea", price="12.50", stock=5)
    response = client.post("/cart/add/", {"sku": "TEA-1", "quantity": "-1", "next": "1"})
    assert response.status_code == 302
    assert response["Location"] == "1"


@pytest.mark.parametrize("next_value", ["1", "-1", "%' AND 1=0 UNION SELECT 1 --"])
def test_the_currency_switcher_goes_back_to_any_next_as_a_url(client, next_value):
    response = client.post("/currency/", {"currency": "USD", "next": next_value})
    assert response.status_code == 302
    assert unquote(response["Location"]) == next_value


def test_a_next_on_another_site_goes_to_the_fallback_instead(client):
    response = client.post("/currency/", {"currency": "USD", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/products/" + "z" * 300 + "/", "/api/v1/products/a%20b'/"])
def test_any_product_slug_or_sku_makes_a_valid_cache_key(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("value", ["abc", "1.5e308", "🍵"])
def test_an_admin_autocomplete_field_given_a_mistyped_value_shows_the_form(admin_client, value):
    response = admin_client.get("/admin/catalog/category/add/", {"parent": value})
    assert response.status_code == 200
    form = admin_client.post("/admin/catalog/product/add/", {"category": value, "title": "T"})
    assert form.status_code == 200  # the form again, with its errors


HOSTS = ["evil.example", "evil..example:99999", "\xff"]


@pytest.mark.parametrize(
    ("urls", "path", "content_type"),
    [
        ("commerce.urls", "/", "text/plain"),
        ("commerce.urls", "/cart/", "text/plain"),
        ("commerce.urls", "/api/v1/products/", "application/problem+json"),
        ("commerce.urls_pricing", "/internal/pricing/v1/prices_for", "application/json"),
    ],
)
def test_a_host_the_shop_does_not_serve_is_a_400_not_a_500(
    client, settings, urls, path, content_type
):
    """The shop's 400 page links to its own address, which asks for the host again."""
    settings.ROOT_URLCONF = urls
    for host in HOSTS:
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400, host
        assert response["Content-Type"].startswith(content_type)
