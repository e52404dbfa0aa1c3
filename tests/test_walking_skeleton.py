"""The architecture end to end (a project-level test: it may look inside several
contexts, which no context may do): a product page and a REST endpoint composed
from catalog, pricing and inventory through their api modules only, kept
true by events when staff change a price in the admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kernel.outbox import published
from pricing.models import Price
from tests.builders import offer_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offer_product(
            sku="TEA-1",
            title="Smoked Lapsang",
            slug="smoked-lapsang",
            description="Pine-smoked black tea.",
            price="12.50",
            stock=40,
        )
    return "TEA-1"


def test_product_page_shows_information_price_and_stock(client, tea):
    response = client.get("/products/smoked-lapsang/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Smoked Lapsang" in page
    assert "EUR 12.50" in page
    assert "In stock" in page


def test_unknown_product_is_a_404_page(client, tea):
    response = client.get("/products/no-such-tea/")

    assert response.status_code == 404
    assert "could not find" in response.content.decode()


def test_product_endpoint_is_composed_from_three_contexts(client, tea):
    response = client.get("/api/v1/products/TEA-1/")

    assert response.status_code == 200
    offer = response.json()
    assert {k: offer[k] for k in ("sku", "title", "slug", "description")} == {
        "sku": "TEA-1",
        "title": "Smoked Lapsang",
        "slug": "smoked-lapsang",
        "description": "Pine-smoked black tea.",
    }
    assert offer["price"] == {"amount": "12.50", "currency": "EUR"}
    assert offer["availability"] == {"status": "in_stock", "quantity_shown": 10}
    assert offer["purchasable"] is True
    assert client.get("/api/v1/products/NOPE/").status_code == 404


def test_a_price_changed_in_the_admin_shows_on_the_warm_product_page(
    admin_client, client, tea, django_capture_on_commit_callbacks
):
    assert "EUR 12.50" in client.get("/products/smoked-lapsang/").content.decode()  # warm cache
    assert client.get("/api/v1/products/TEA-1/").json()["price"]["amount"] == "12.50"
    price = Price.objects.get(sku="TEA-1", currency="EUR")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:pricing_price_change", args=[price.pk]),
            {"sku": "TEA-1", "currency": "EUR", "amount": "9.90"},
        )

    assert response.status_code == 302, response.content.decode()
    event = published("pricing.price_changed.v1").latest("id")
    assert event.payload["sku"] == "TEA-1"
    assert event.payload["old_amount"] == "12.500"
    assert event.payload["new_amount"] == "9.90"
    # Prices are read fresh on every page (only product information is
    # cached); the catalog's search projection follows the event.
    assert event.deliveries.get(subscriber="catalog.search_projection.price_changed").status == (
        "delivered"
    )
    assert "EUR 9.90" in client.get("/products/smoked-lapsang/").content.decode()
    assert client.get("/api/v1/products/TEA-1/").json()["price"]["amount"] == "9.90"


def test_a_price_with_too_many_decimals_is_refused_in_the_admin(admin_client, tea):
    price = Price.objects.get(sku="TEA-1", currency="EUR")

    response = admin_client.post(
        reverse("admin:pricing_price_change", args=[price.pk]),
        {"sku": "TEA-1", "currency": "EUR", "amount": "9.999"},
    )

    assert response.status_code == 200
    assert "EUR has 2 decimal places" in response.content.decode()
    assert Price.objects.get(pk=price.pk).amount == Decimal("12.50")
    assert not published("pricing.price_changed.v1").filter(payload__new_amount="9.999").exists()
