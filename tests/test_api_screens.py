"""The app's screens, one call each: home feed, search cards and product detail.

The endpoints are the gateway's (storefront/rest.py) and reuse the pages'
composition: the home feed shows the home page's shelves, the product
detail the product page's rating and first reviews, with the same
isolation (reviews failing leaves them null, never fails the call).
Reviews are read on worker threads with their own connections, which see
only committed data: these tests commit (``transaction=True``).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from catalog import api as catalog_api
from kernel import relay
from kernel.tests.queries import captured_queries
from orders.models import Order, OrderStatus
from orders.tests.factories import line, place
from pricing import api as pricing_api
from pricing.dtos import PromotionSpec, TargetSpec, TierSpec
from reviews import api as reviews_api
from reviews.dtos import ReviewDraft
from tests.builders import offer_product

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def teas(first: int, last: int) -> None:
    for index in range(first, last):
        offer_product(
            sku=f"TEA-{index}", title=f"Tea {index}", slug=f"tea-{index}", price="4.50", stock=9
        )


def review(index: int, product_id: int, *, rating: int = 5, title: str = "Lovely") -> None:
    who = get_user_model().objects.create_user(
        username=f"r{index}@example.com", password="pw", first_name=f"Reader{index}"
    )
    reviews_api.record_delivery(
        customer_id=who.pk, skus=["TEA-0"], order_number="CM-1", delivered_at=timezone.now()
    )
    draft = ReviewDraft(rating=rating, title=title, body="Fresh and green.")
    reviews_api.write_review(
        customer_id=who.pk, author_name=who.first_name, product_id=product_id, draft=draft
    )


def sell(sku: str, units: int) -> None:
    order = place(line(sku, quantity=units, unit="4.50"))
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)


def feed_queries(client) -> int:
    client.get("/api/v1/home/")  # caches warm, as for every request but the first
    with captured_queries() as queries:
        assert client.get("/api/v1/home/").status_code == 200
    return len(queries)


def test_the_home_feed_is_the_home_pages_shop_window(client):
    teas(0, 6)
    pricing_api.upsert_promotion(
        spec=PromotionSpec(
            slug="tea-week", name="Tea week", reason="10 % off tea", kind="tiered",
            tiers=(TierSpec(1, 10),), targets=(TargetSpec("category", "tea"),),
        )
    )  # fmt: skip
    sell("TEA-2", 3)
    relay.relay(dispatch=relay.deliver_due)

    feed = client.get("/api/v1/home/").json()

    assert {"slug": "tea", "name": "Tea"} in feed["categories"]
    assert [(p["slug"], p["category"]) for p in feed["promotions"]] == [("tea-week", "tea")]
    assert [card["sku"] for card in feed["new_arrivals"]] == ["TEA-5", "TEA-4", "TEA-3", "TEA-2"]
    best = feed["best_sellers"][0]
    assert best["sku"] == "TEA-2"
    assert best["price"] == {"amount": "4.05", "currency": "EUR"}  # the promotion applied
    assert best["availability"]["status"] == "in_stock"
    assert best["purchasable"] is True
    assert (best["rating_average"], best["rating_count"]) == (None, 0)


def test_the_home_feeds_queries_do_not_grow_with_its_products(
    client, django_assert_max_num_queries
):
    teas(0, 1)
    sell("TEA-0", 1)
    relay.relay(dispatch=relay.deliver_due)
    one = feed_queries(client)

    teas(1, 12)
    for index in range(1, 8):
        sell(f"TEA-{index}", index)
    relay.relay(dispatch=relay.deliver_due)
    client.get("/api/v1/home/")
    with django_assert_max_num_queries(one):
        feed = client.get("/api/v1/home/").json()
    assert len(feed["new_arrivals"]) == len(feed["best_sellers"]) == 4


def test_search_cards_carry_price_availability_and_rating(client):
    teas(0, 2)
    tea = catalog_api.product_by_slug(slug="tea-0")
    review(1, tea.id, rating=4)
    relay.relay(dispatch=relay.deliver_due)

    cards = client.get("/api/v1/search/", {"q": "tea", "sort": "title"}).json()["results"]

    assert [card["sku"] for card in cards] == ["TEA-0", "TEA-1"]
    assert cards[0]["price"] == {"amount": "4.50", "currency": "EUR"}
    assert cards[0]["availability"] == {"status": "in_stock", "quantity_shown": 9}
    assert (cards[0]["rating_average"], cards[0]["rating_count"]) == ("4.00", 1)


def test_the_product_detail_has_the_rating_and_the_first_reviews(
    client, django_assert_max_num_queries
):
    teas(0, 1)
    tea = catalog_api.product_by_slug(slug="tea-0")
    review(1, tea.id, rating=4, title="Good")
    client.get("/api/v1/products/TEA-0/")
    with django_assert_max_num_queries(30) as first:
        product = client.get("/api/v1/products/TEA-0/").json()
    one_review = len(first)

    assert product["id"] == tea.id
    assert product["rating"] == {"average": "4.00", "count": 1, "histogram": [0, 0, 0, 1, 0]}
    assert [(r["title"], r["rating"], r["author_name"]) for r in product["reviews"]] == [
        ("Good", 4, "Reader1")
    ]

    for index in range(2, 14):
        review(index, tea.id, rating=index % 5 + 1)
    relay.relay(dispatch=relay.deliver_due)
    client.get("/api/v1/products/TEA-0/")
    with django_assert_max_num_queries(one_review):
        product = client.get("/api/v1/products/TEA-0/").json()
    assert product["rating"]["count"] == 13
    assert len(product["reviews"]) == 10  # the first page; the rest at the reviews endpoint


def test_reviews_failing_leaves_the_product_detail_without_them(client, monkeypatch):
    teas(0, 1)

    def broken(**kwargs):
        raise RuntimeError("reviews is down")

    monkeypatch.setattr(reviews_api, "rating_summary", broken)
    monkeypatch.setattr(reviews_api, "product_reviews", broken)
    response = client.get("/api/v1/products/TEA-0/")

    assert response.status_code == 200
    product = response.json()
    assert (product["rating"], product["reviews"]) == (None, None)
    assert product["price"] == {"amount": "4.50", "currency": "EUR"}
    assert product["purchasable"] is True
