"""Demo reviews: skewed, partly verified, partly pending, deterministic and written once."""

from collections import Counter

import pytest

from catalog import api as catalog_api
from demo import catalog_seed, reviews_seed
from kernel.tests.outboxes import event_count
from reviews import api as reviews_api


def reviews() -> list:
    """Every demo review (through reviews.api), in a stable order."""
    found = [
        review
        for customer_id in reviews_seed.demo_customers()
        for review in reviews_api.customer_reviews(customer_id=customer_id)
    ]
    return sorted(
        (r.product_sku, r.author_name, r.rating, r.title, r.status, r.verified_purchase)
        for r in found
    )


@pytest.fixture
def small_shop(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(catalog_seed, "PRODUCTS_PER_CATEGORY", 4)
    catalog_seed.seed_catalog_prices_stock()


@pytest.mark.django_db
def test_demo_reviews_look_like_a_shops_and_a_second_run_writes_nothing(small_shop):
    written = reviews_seed.seed_reviews()

    state = reviews()
    assert written == len(state) >= 40
    stars = Counter(review[2] for review in state)
    assert stars[5] > stars[4] > stars[2]  # skewed high, with a tail
    statuses = Counter(review[4] for review in state)
    assert statuses["published"] > statuses["pending"] > 0
    assert any(verified for *_, verified in state)
    assert any(status == "published" and not verified for *_, status, verified in state)
    ids = [p.id for p in catalog_api.product_page(page=1, per_page=96).items]
    rated = [s for s in reviews_api.rating_summaries(product_ids=ids).values() if s.count]
    assert len(rated) >= 20
    events = event_count()

    assert reviews_seed.seed_reviews() == 0
    assert event_count() == events
    assert reviews() == state


@pytest.mark.django_db
def test_demo_reviews_are_deterministic(small_shop):
    reviews_seed.seed_reviews()
    first = reviews()
    for customer_id in reviews_seed.demo_customers():
        for review in reviews_api.customer_reviews(customer_id=customer_id):
            reviews_api.delete_review(customer_id=customer_id, review_id=review.id)
    assert reviews() == []

    reviews_seed.seed_reviews()

    assert reviews() == first
