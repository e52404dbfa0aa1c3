"""A picture beside every line: cart, checkout review, confirmation, order pages, history, e-mail.

Each page (and the e-mail) reads the pictures in one batch: an order of
eight lines costs no more queries than an order of one.
"""

import io
import re

import pytest
from django.core import mail
from PIL import Image as PILImage

from catalog import api as catalog_api
from catalog.dtos import ImageInput
from kernel.tests.queries import captured_queries
from orders import notifications, payments, services
from orders.providers.base import Card
from orders.tests.factories import BERLIN, line, place
from tests.builders import offer_product

pytestmark = pytest.mark.django_db

MANY = 8
VISA = Card(number="4242424242424242", exp_month=1, exp_year=2099, cvc="123")


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 60), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def teas(settings, tmp_path):
    """MANY teas on sale, each with a picture whose alt text names it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://shop.example.com"
    picture = _jpeg()
    for n in range(MANY):
        offer_product(sku=f"TEA-{n}", title=f"Tea {n}", slug=f"tea-{n}", price="5.00", stock=50)
        catalog_api.set_product_images(
            sku=f"TEA-{n}", images=[ImageInput(f"tea-{n}.jpg", picture, f"A tin of tea {n}")]
        )


def _pictures(html: str) -> list[tuple[str, str]]:
    """(src, alt) of every line picture."""
    return re.findall(r'<img class="line-thumb" src="([^"]+)" alt="([^"]*)"', html)


def _queries(action) -> int:
    with captured_queries() as captured:
        action()
    return len(captured)


def _order(customer, lines: int):
    return place(
        *(line(f"TEA-{n}", quantity=1, unit="5.00") for n in range(lines)), customer_id=customer.pk
    )


def test_order_pages_show_each_lines_picture_at_a_cost_that_does_not_grow(
    client, customer, teas, django_assert_max_num_queries
):
    client.force_login(customer)
    small, big = _order(customer, 1), _order(customer, MANY)
    for path in ["/orders/{}/", "/orders/{}/confirmation/", "/orders/{}/pay/"]:
        client.get(path.format(small.number))  # warm caches shared by every page
        one_line = _queries(lambda p=path: client.get(p.format(small.number)))
        with django_assert_max_num_queries(one_line):
            page = client.get(path.format(big.number)).content.decode()
        alts = [alt for _, alt in _pictures(page)]
        assert alts == [f"A tin of tea {n}" for n in range(MANY)], path


def test_the_history_shows_each_orders_first_pictures_at_a_cost_that_does_not_grow(
    client, customer, teas, django_assert_max_num_queries
):
    client.force_login(customer)
    _order(customer, 1)
    client.get("/orders/")
    one_order = _queries(lambda: client.get("/orders/"))
    for _ in range(5):
        _order(customer, MANY)
    with django_assert_max_num_queries(one_order):
        page = client.get("/orders/").content.decode()
    alts = [alt for _, alt in _pictures(page)]
    assert alts == ["A tin of tea 0", "A tin of tea 1", "A tin of tea 2"] * 5 + ["A tin of tea 0"]


def test_the_cart_and_the_checkout_show_each_lines_picture(
    client, teas, django_assert_max_num_queries
):
    """The checkout's details page is left out of the count: it reserves stock, a write per SKU."""
    client.post("/cart/add/", {"sku": "TEA-0", "quantity": "1"})
    details = {f"ship-{name}": value for name, value in BERLIN.as_dict().items()}
    details |= {"email": "g@example.com", "billing_same": "on", "shipping_method": "standard"}
    client.post("/checkout/", details)
    counted = ["/cart/", "/checkout/review/"]
    for path in counted:
        client.get(path)
    one_line = {path: _queries(lambda p=path: client.get(p)) for path in counted}
    for n in range(1, MANY):
        client.post("/cart/add/", {"sku": f"TEA-{n}", "quantity": "1"})
    everything = [f"A tin of tea {n}" for n in range(MANY)]
    assert [alt for _, alt in _pictures(client.get("/checkout/").content.decode())] == everything
    for path in counted:
        with django_assert_max_num_queries(one_line[path]):
            page = client.get(path).content.decode()
        assert [alt for _, alt in _pictures(page)] == everything, path


def test_the_html_email_loads_each_lines_picture_from_the_shops_address(
    teas, customer, django_assert_max_num_queries
):
    small, big = _order(customer, 1), _order(customer, MANY)
    one_line = _queries(
        lambda: notifications.send_order_email(
            kind="confirmation", order_number=small.number, reference="small"
        )
    )
    with django_assert_max_num_queries(one_line):
        notifications.send_order_email(
            kind="confirmation", order_number=big.number, reference="big"
        )
    html, _ = mail.outbox[-1].alternatives[0]
    pictures = _pictures(html)
    assert [alt for _, alt in pictures] == [f"A tin of tea {n}" for n in range(MANY)]
    assert all(src.startswith("https://shop.example.com/media/") for src, _ in pictures)


def test_the_shipped_email_names_and_pictures_the_parcels_lines_not_their_skus(teas, customer):
    order = _order(customer, 2)
    payments.payment_start(order_id=order.pk, provider_code="sandbox", card=VISA, actor="c")
    first = order.lines.order_by("position").first()
    services.order_ship(order_id=order.pk, actor="s", quantities={first.pk: 1})
    notifications.send_order_email(
        kind="shipped",
        order_number=order.number,
        reference="parcel",
        shipment_id=order.shipments.get().pk,
    )
    message = mail.outbox[-1]
    assert "1 x Tea TEA-0\n" in message.body
    assert "TEA-1" not in message.body
    html, _ = message.alternatives[0]
    assert "1 \u00d7 Tea TEA-0" in html
    assert [alt for _, alt in _pictures(html)] == ["A tin of tea 0"]
