"""The mini-cart's summary (``/cart/summary/``): lines, pictures and total, like the cart.

The header itself shows only the item count (``test_cart.py``); the summary
is read when a shopper opens it, at a cost that does not grow with the lines.
"""

import pytest
from django.test import Client

from kernel.tests.queries import captured_queries
from tests.builders import offer_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def teas(shop):
    for n in range(3, 9):
        offer_product(sku=f"TEA-{n}", title=f"Tea {n}", slug=f"tea-{n}", price="5.00", stock=9)


def test_an_empty_session_gets_an_empty_summary_without_a_cart(client, teas):
    response = client.get("/cart/summary/")
    assert response.status_code == 200
    assert "Your cart is empty." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_without_javascript_the_header_cart_is_a_link_to_the_cart(client, teas):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    header = client.get("/").content.decode().split("</header>")[0]
    assert '<a class="minicart" href="/cart/" data-minicart="/cart/summary/">' in header
    assert '<span class="minicart-count">2</span>' in header
    assert '<div class="minicart-panel card" id="minicart-panel" hidden></div>' in header


def test_the_summary_lists_lines_with_the_carts_total_and_the_way_to_checkout(client, teas):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    client.post("/cart/add/", {"sku": "TEA-2", "quantity": "1"})
    html = client.get("/cart/summary/").content.decode()
    assert "3 items" in html
    assert "<strong>Green Tea</strong>" in html
    assert "2 \u00d7 EUR 12.50" in html
    assert "<strong>Black Tea</strong>" in html
    assert "1 \u00d7 EUR 8.00" in html
    assert '<span class="minicart-total">EUR 33.00</span>' in html
    assert 'href="/checkout/">Checkout</a>' in html
    assert "<html" not in html  # a fragment for the header's panel


def test_the_summary_costs_the_same_queries_for_one_line_as_for_eight(
    client, teas, django_assert_max_num_queries
):
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": "1"})
    client.get("/cart/summary/")
    with captured_queries() as captured:
        client.get("/cart/summary/")
    one_line = len(captured)  # now: the next request clears the connection's query log
    for sku in ["TEA-2", *(f"TEA-{n}" for n in range(3, 9))]:
        client.post("/cart/add/", {"sku": sku, "quantity": "1"})
    client.get("/cart/summary/")  # the new SKUs' cached reads (placements, tax classes)
    with django_assert_max_num_queries(one_line):
        html = client.get("/cart/summary/").content.decode()
    assert html.count('class="line-item"') == 8


def test_a_customers_count_is_the_same_on_every_device(teas, customer):
    """Signed in on two devices, the cart made on one is counted on the other."""
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.force_login(customer)
        assert device.get("/cart/summary/").context["cart_item_count"] == 0
    phone.post("/cart/add/", {"sku": "TEA-1", "quantity": "2"})
    assert laptop.get("/cart/summary/").context["cart_item_count"] == 2
