"""The cart page suggests products from recommendations, and a failing or hanging
recommendations changes nothing for the cart or checkout but that row."""

import time
from decimal import Decimal

import pytest

from kernel.isolation import failure_count
from orders.models import Order
from orders.tests.factories import BERLIN
from tests.builders import bought_together, offer_product

ADDRESS = {f"ship-{name}": value for name, value in BERLIN.as_dict().items()}


@pytest.mark.django_db(transaction=True)
def test_the_cart_suggests_what_its_products_were_bought_with(client, settings):
    settings.RECOMMENDATIONS_MIN_SUPPORT = 1
    settings.ISOLATION_DEFAULT_BUDGET_SECONDS = 2  # committed data, a slow test machine
    offer_product(sku="POT", title="Tea Pot", slug="tea-pot", price="30.00", stock=5)
    offer_product(sku="CUP", title="Tea Cup", slug="tea-cup", price="5.00", stock=5)
    bought_together("POT", "CUP")
    client.post("/cart/add/", {"sku": "POT", "quantity": "1"})
    page = client.get("/cart/").content.decode()
    suggestions = page[page.index("You might also need") :]
    assert '<a href="/products/tea-cup/">Tea Cup</a>' in suggestions


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize("fault", [("raise", 0.0), ("sleep", 0.6)])
def test_cart_and_checkout_work_unchanged_when_recommendations_fails(client, settings, fault):
    settings.FAULT_INJECTION = {"recommendations": fault}
    settings.ISOLATION_DEFAULT_BUDGET_SECONDS = 0.2
    failures = failure_count("recommendations")
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    started = time.monotonic()
    cart = client.get("/cart/")
    assert time.monotonic() - started < 0.2 + 1.0  # the budget, and the page itself
    assert cart.status_code == 200
    assert "Green Tea" in cart.content.decode()
    assert "You might also need" not in cart.content.decode()
    assert failure_count("recommendations") == failures + 1
    details = {**ADDRESS, "email": "g@example.com", "billing_same": "on"}
    client.get("/checkout/")
    assert client.post("/checkout/", {**details, "shipping_method": "standard"}).status_code == 302
    token = client.get("/checkout/review/").context["form"]["token"].value()
    client.post("/checkout/place/", {"token": token})
    assert Order.objects.get().grand_total == Decimal("29.90")
    assert failure_count("recommendations") == failures + 1  # checkout never asked
    time.sleep(fault[1])  # no sleeping call outlives the test's database
