"""The home page's shelves, and which picture shows a variant."""

from decimal import Decimal

import pytest

from catalog.dtos import Image, OptionValue, Variant
from kernel import relay
from kernel.money import Money
from pricing import api as pricing_api
from pricing.dtos import PromotionSpec, TargetSpec
from storefront.pictures import variant_image_index
from tests.builders import offer_product

pytestmark = pytest.mark.django_db


def _variant(*values: str) -> Variant:
    options = tuple(OptionValue("colour", "Colour", value, value.lower()) for value in values)
    return Variant(id=1, sku="X-1", name=" / ".join(values), options=options)


def test_a_variant_is_shown_by_the_picture_whose_alt_text_names_its_option():
    images = [Image(url=f"/{n}.jpg", alt_text=alt) for n, alt in enumerate(
        ["Towel, front view", "Towel in Slate, front view", "Towel in Sage"])]  # fmt: skip
    assert variant_image_index(_variant("Sage"), images) == 2
    assert variant_image_index(_variant("slate"), images) == 1
    assert variant_image_index(_variant("Sag"), images) is None  # whole words only
    assert variant_image_index(_variant(), images) is None


@pytest.fixture
def teas():
    for index in range(30):
        offer_product(
            sku=f"TEA-{index}", title=f"Tea No. {index}", slug=f"tea-{index}",
            price="10.00", stock=5,
        )  # fmt: skip
    relay.relay(dispatch=relay.deliver_due)  # pricing learns each SKU's categories
    pricing_api.upsert_promotion(
        spec=PromotionSpec(
            slug="tea-week", name="Tea week", reason="10 % off all tea", kind="percentage",
            percent=Decimal(10), targets=(TargetSpec("category", "tea"),),
        )
    )  # fmt: skip
    pricing_api.upsert_promotion(
        spec=PromotionSpec(
            slug="secret", name="Secret", reason="A code for friends", kind="percentage",
            scope="order", percent=Decimal(5), requires_voucher=True,
        )
    )  # fmt: skip


def test_the_home_page_announces_open_promotions_and_new_arrivals(client, teas):
    page = client.get("/").content.decode()
    assert "10 % off all tea" in page
    assert 'href="/c/tea/">Shop the offer' in page
    assert "A code for friends" not in page  # a voucher's promotion is not announced
    assert page.count('class="product-card shelf-card"') == 4  # new arrivals; nothing sold yet
    assert "Best sellers" not in page


def test_a_fixed_amount_off_is_announced_only_in_its_currency(client, teas):
    """EUR 20 off applies to a cart in euros only: a shopper in dollars is not told of it."""
    pricing_api.upsert_promotion(
        spec=PromotionSpec(
            slug="twenty-off", name="Twenty off", reason="EUR 20 off your order", kind="fixed",
            scope="order", amount=Money(Decimal(20), "EUR"),
        )
    )  # fmt: skip
    assert "EUR 20 off your order" in client.get("/").content.decode()
    client.post("/currency/", {"currency": "USD", "next": "/"})
    assert "EUR 20 off your order" not in client.get("/").content.decode()
    assert "10 % off all tea" in client.get("/").content.decode()


def test_filtered_or_later_pages_show_the_list_without_shelves(client, teas):
    assert "New arrivals" not in client.get("/", {"page": 2}).content.decode()
    assert "New arrivals" not in client.get("/", {"in_stock": "1"}).content.decode()


def test_cards_and_the_product_page_show_what_the_cart_charges_and_why(client, teas):
    card = client.get("/c/tea/").content.decode()
    assert "EUR 9.00" in card  # 10.00 less 10 %
    assert "<s>EUR 10.00</s>" in card
    assert "10 % off all tea" in card
    page = client.get("/products/tea-3/").content.decode()
    assert '<span class="price">EUR 9.00</span>' in page
    client.post("/cart/add/", {"sku": "TEA-3", "quantity": "1"})
    cart = client.get("/cart/").content.decode()
    assert '<td class="num line-total" data-label="Total">EUR 9.00</td>' in cart
