"""HTTP caching of storefront pages (storefront/http_cache.py)."""

from decimal import Decimal

import pytest

from kernel.money import Money
from pricing import api as pricing_api
from pricing.dtos import ExperimentSpec, VariantSpec
from storefront.http_cache import SEGMENT_COOKIE
from tests.builders import priced, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")

LISTINGS = ["/", "/c/clothing/", "/search/?q=wool"]


@pytest.fixture
def on_sale():
    upsert(sweater(slug="wool-sweater"))
    for sku in ("SW-1-S", "SW-1-M", "SW-1-L"):
        priced(sku, "40.00", 5)


def settled(client, url):
    """A returning anonymous shopper: the second visit carries the segment cookie."""
    client.get(url)
    return client.get(url)


@pytest.mark.parametrize("url", LISTINGS)
def test_an_anonymous_listing_is_shareable_and_revalidates_to_304(client, on_sale, url):
    response = settled(client, url)
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert response["X-Price-Segment"] == "EUR"
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_the_product_page_is_shareable_its_buy_box_holds_no_token(client, on_sale):
    response = settled(client, "/products/wool-sweater/")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert b"csrfmiddlewaretoken" not in response.content
    assert 'action="/cart/add/"' in response.content.decode()
    again = client.get("/products/wool-sweater/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_buy_box_posts_from_the_shop_only(client, on_sale):
    """No token in the shared page: the cart checks where the post comes from."""
    added = {"sku": "SW-1-M", "quantity": "1"}
    refused = client.post("/cart/add/", added, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    assert "SW-1-M" not in client.get("/cart/").content.decode()
    own = client.post("/cart/add/", added, headers={"Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 302
    assert "SW-1-M" in client.get("/cart/").content.decode()


def test_a_first_visit_is_private_until_the_segment_cookie_comes_back(client, on_sale):
    first = client.get("/products/wool-sweater/")
    assert "private" in first["Cache-Control"]
    assert first.cookies[SEGMENT_COOKIE].value == "EUR"


def test_a_price_change_changes_the_etag(client, on_sale):
    etag = settled(client, "/products/wool-sweater/")["ETag"]
    pricing_api.set_price(sku="SW-1-S", price=Money(Decimal("30.00"), "EUR"))
    response = client.get("/products/wool-sweater/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_shoppers_in_different_experiment_arms_are_in_different_segments(client, on_sale):
    pricing_api.upsert_experiment(
        spec=ExperimentSpec(
            slug="sweaters",
            name="Sweaters",
            skus=("SW-1-S",),
            variants=(
                VariantSpec(key="base", weight=1),
                VariantSpec(key="plus", weight=1, rule="percent", percent=Decimal(10)),
            ),
        ),
        running=True,
    )
    segments = set()
    for n in range(12):
        client.cookies["visitor_id"] = f"{n:032x}"
        segments.add(client.get("/products/wool-sweater/")["X-Price-Segment"])
    assert segments == {"EUR;sweaters=base", "EUR;sweaters=plus"}


def test_a_signed_in_shoppers_page_is_private(client, on_sale, django_user_model):
    client.force_login(django_user_model.objects.create_user("ann", password="pw"))
    response = client.get("/products/wool-sweater/")
    assert response["Cache-Control"] == "private, no-cache"
    assert "X-Price-Segment" not in response
