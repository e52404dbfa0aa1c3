"""Reviews on the product page and listing cards: shown when reviews answers, left out when not.

The reviews section is read through ``kernel.isolation.call_optional``, on a
worker thread with its own database connection, which sees only committed
data: these tests commit (``transaction=True``).
"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from catalog import api as catalog_api
from kernel import relay
from reviews import api as reviews_api
from reviews.dtos import ReviewDraft
from tests.builders import product, upsert

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("structure")]


def customer(name: str):
    return get_user_model().objects.create_user(
        username=f"{name}@example.com", password="pw", first_name=name.title()
    )


def review(who, product_id: int, *, sku: str = "TEA-1", verified: bool = True, **fields):
    if verified:
        reviews_api.record_delivery(
            customer_id=who.pk, skus=[sku], order_number="CM-1", delivered_at=timezone.now()
        )
    values = {"rating": 5, "title": "Great", "body": "Lovely tea.", **fields}
    return reviews_api.write_review(
        customer_id=who.pk, author_name=who.first_name, product_id=product_id,
        draft=ReviewDraft(**values),
    )  # fmt: skip


@pytest.fixture
def tea_id():
    upsert(product("TEA-1", "Green Tea", slug="green-tea", category="kitchen"))
    return catalog_api.product_by_slug(slug="green-tea").id


def html(client, url="/products/green-tea/", **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_rating_and_the_published_reviews(client, tea_id):
    ada, bob, cy = customer("ada"), customer("bob"), customer("cy")
    review(ada, tea_id, rating=5, title="Superb", pros="Fresh", cons="Pricey")
    review(bob, tea_id, rating=2, title="Too bitter")
    review(cy, tea_id, verified=False, title="Waiting")  # pending: not shown

    page = html(client)

    assert "3.50 out of 5 · 2 reviews" in page
    assert page.index("Too bitter") < page.index("Superb")  # no votes yet: newest first
    assert "Waiting" not in page
    assert "Verified purchase" in page
    assert "<strong>Pros:</strong> Fresh" in page
    assert f'href="/reviews/write/{tea_id}/"' in page
    highest_first = html(client, sort="highest")
    assert highest_first.index("Superb") < highest_first.index("Too bitter")
    two_stars = html(client, stars="2")
    assert "Too bitter" in two_stars
    assert "Superb" not in two_stars
    assert 'href="?stars=2#reviews"' in page
    assert "Superb" in html(client, stars="9", sort="bogus")  # bad values: defaults


def test_reviews_are_paginated(client, tea_id):
    for n in range(12):
        review(customer(f"c{n}"), tea_id, title=f"Review number {n}")
    first, second = html(client), html(client, page="2")
    assert "Page 1 of 2" in first
    assert first.count('class="review"') == 10
    assert second.count('class="review"') == 2


def test_a_signed_in_shopper_votes_and_reports_from_the_page(client, tea_id):
    written = review(customer("ada"), tea_id)
    page = html(client)
    assert f'action="/reviews/{written.id}/vote/"' in page  # every shopper's page, no token
    assert "csrfmiddlewaretoken" not in page
    client.force_login(customer("bob"))

    response = client.post(
        f"/reviews/{written.id}/vote/", {"helpful": "1", "next": "/products/green-tea/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/products/green-tea/"
    assert "1 found this helpful" in html(client)
    response = client.post(f"/reviews/{written.id}/report/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"  # never off-site


def test_the_review_forms_are_checked_by_origin_and_ask_a_guest_to_sign_in(client, tea_id):
    written = review(customer("ada"), tea_id)
    guest = client.post(
        f"/reviews/{written.id}/vote/", {"helpful": "1", "next": "/products/green-tea/#reviews"}
    )
    assert guest.status_code == 302
    assert guest["Location"] == "/account/sign-in/?next=/products/green-tea/%23reviews"
    client.force_login(customer("bob"))
    for action in ("vote", "report"):
        forged = client.post(
            f"/reviews/{written.id}/{action}/",
            {"helpful": "1"},
            headers={"Sec-Fetch-Site": "cross-site"},
        )
        assert forged.status_code == 403, action
    assert "0 found this helpful" in html(client)


@pytest.mark.parametrize("failure", ["raises", "hangs"])
def test_a_failing_or_slow_reviews_context_leaves_the_page_without_reviews(
    client, tea_id, monkeypatch, settings, failure
):
    review(customer("ada"), tea_id, title="Superb")
    settings.ISOLATION_DEFAULT_BUDGET_SECONDS = 0.2

    def broken(**kwargs):
        if failure == "hangs":
            time.sleep(1)
        raise RuntimeError("reviews is down")

    monkeypatch.setattr(reviews_api, "rating_summary", broken)
    monkeypatch.setattr(reviews_api, "product_reviews", broken)
    started = time.monotonic()
    page = html(client)

    assert time.monotonic() - started < 0.9
    assert "Green Tea" in page
    assert "Customer reviews" not in page
    assert "Superb" not in page
    assert "out of 5" not in page


@pytest.mark.parametrize("fault", [("raise", 0.0), ("sleep", 1.0)])
def test_the_fault_injection_switch_takes_reviews_off_the_page_and_the_endpoint(
    client, tea_id, settings, fault
):
    review(customer("ada"), tea_id, title="Superb")
    settings.ISOLATION_DEFAULT_BUDGET_SECONDS = 0.2
    settings.FAULT_INJECTION = {"reviews": fault}

    started = time.monotonic()
    page = html(client)
    endpoint = client.get("/api/v1/products/TEA-1/")

    assert time.monotonic() - started < 1.8  # one budget each, not the injected second
    assert "Green Tea" in page
    assert "Superb" not in page
    assert "out of 5" not in page
    assert endpoint.status_code == 200
    assert endpoint.json()["rating"] is None
    assert not endpoint.json()["reviews"]
    time.sleep(fault[1])  # no sleeping call outlives the test's database


def test_the_cached_rating_follows_reviews_rating_events(client, tea_id):
    assert "No reviews yet" in html(client)  # cached now
    review(customer("ada"), tea_id, rating=4)
    relay.relay(dispatch=relay.deliver_due)  # in case the eager relay has not run
    assert "4.00 out of 5 · 1 review" in html(client)


def test_a_review_change_is_on_the_kept_page_at_the_next_request(tea_id):
    """Reviews caches each product's review pages under a generation it forgets where it
    commits a change, so the kept page is composed again at once, before any event."""
    written, bob = review(customer("ada"), tea_id, title="First words"), customer("bob")
    for _ in range(2):
        assert "First words" in html(Client())  # composed, then kept
    changes = [
        (lambda: reviews_api.vote(customer_id=bob.pk, review_id=written.id, helpful=True),
         "1 found this helpful"),
        (lambda: review(customer("cy"), tea_id, title="Second words"), "Second words"),
        (lambda: reviews_api.moderate(review_ids=[written.id], approve=False, reason="Spam"),
         None),
    ]  # fmt: skip
    for change, shown in changes:
        change()
        page = html(Client())
        assert (shown in page) if shown else ("First words" not in page)


def test_listing_cards_show_stars_sort_top_rated_and_filter_by_stars(client, tea_id):
    upsert(product("MUG-1", "Plain Mug", slug="plain-mug", category="kitchen"))
    mug_id = catalog_api.product_by_slug(slug="plain-mug").id
    review(customer("ada"), tea_id, rating=3)
    review(customer("bob"), mug_id, sku="MUG-1", rating=5)
    relay.relay(dispatch=relay.deliver_due)

    page = html(client, "/c/kitchen/")
    assert "3.00 (1)" in page
    assert "Top rated" in page
    top = html(client, "/c/kitchen/", sort="rating")
    assert top.index("Plain Mug") < top.index("Green Tea")
    four_up = html(client, "/c/kitchen/", rating="4")
    assert "Plain Mug" in four_up
    assert "Green Tea" not in four_up
    assert "4 stars &amp; up" in page


def test_query_counts_stay_flat_in_reviews_and_products(
    uncached, client, tea_id, django_assert_max_num_queries
):
    review(customer("first"), tea_id)
    client.get("/products/green-tea/")
    client.get("/c/kitchen/")
    with django_assert_max_num_queries(11) as product_page:
        html(client)
    page_queries = len(product_page)  # read now: the next request resets the log
    with django_assert_max_num_queries(20) as listing:
        html(client, "/c/kitchen/")
    listing_queries = len(listing)

    for n in range(15):
        review(customer(f"c{n}"), tea_id, rating=n % 5 + 1)
        upsert(product(f"P-{n}", f"Product {n}", category="kitchen"))
    relay.relay(dispatch=relay.deliver_due)
    client.get("/products/green-tea/")
    with django_assert_max_num_queries(page_queries):
        assert html(client).count('class="review"') == 10
    with django_assert_max_num_queries(listing_queries):
        assert html(client, "/c/kitchen/").count("product-card") == 16
