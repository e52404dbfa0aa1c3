"""The variant a shopper chose is named in the cart, at checkout and on the order."""

import pytest

from orders.models import Order
from orders.tests.factories import BERLIN
from tests.builders import build_structure, priced, sweater, upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweaters(db):
    build_structure()
    upsert(sweater(slug="wool-sweater"))
    for sku in ("SW-1-S", "SW-1-M", "SW-1-L"):
        priced(sku, "40.00", 5)


def test_the_variant_name_follows_the_line_from_cart_to_order(client, sweaters):
    client.post("/cart/add/", {"sku": "SW-1-M", "quantity": "1"})
    assert "M / Red · " in client.get("/cart/").content.decode()
    assert "M / Red · 1 \u00d7" in client.get("/checkout/").content.decode()
    details = {f"ship-{name}": value for name, value in BERLIN.as_dict().items()}
    details |= {"email": "g@example.com", "billing_same": "on", "shipping_method": "standard"}
    client.post("/checkout/", details)
    token = client.get("/checkout/review/").context["form"]["token"].value()
    client.post("/checkout/place/", {"token": token})
    assert Order.objects.get().lines.get().title == "Wool Sweater, M / Red"


def test_a_product_sold_in_one_variant_needs_no_variant_name(client, sweaters):
    upsert(sweater(sku="SC-1", title="Scarf", slug="scarf", variants=()))
    priced("SC-1", "20.00", 5)
    client.post("/cart/add/", {"sku": "SC-1", "quantity": "1"})
    assert ' · <span class="line-sku">SC-1' not in client.get("/cart/").content.decode()
