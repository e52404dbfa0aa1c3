"""Demo reviews: skewed, partly verified, partly pending, deterministic and written once."""

from collections import Counter

import pytest

from demo import catalog_seed, reviews_seed
from kernel.models import OutboxEvent
from reviews.models import ProductRating, Review


def reviews() -> list[tuple]:
    return sorted(
        Review.objects.values_list(
            "product_sku", "author_name", "rating", "title", "status", "verified_purchase"
        )
    )


@pytest.fixture
def small_shop(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(catalog_seed, "PRODUCTS_PER_CATEGORY", 4)
    catalog_seed.seed_catalog_prices_stock()


@pytest.mark.django_db
def test_demo_reviews_look_like_a_shops_and_a_second_run_writes_nothing(small_shop):
    written = reviews_seed.seed_reviews()

    assert written == Review.objects.count() >= 40
    stars = Counter(Review.objects.values_list("rating", flat=True))
    assert stars[5] > stars[4] > stars[2]  # skewed high, with a tail
    statuses = Counter(Review.objects.values_list("status", flat=True))
    assert statuses["published"] > statuses["pending"] > 0
    assert Review.objects.filter(verified_purchase=True).exists()
    assert Review.objects.filter(verified_purchase=False, status="published").exists()
    assert ProductRating.objects.filter(count__gt=0).count() >= 20
    events, state = OutboxEvent.objects.count(), reviews()

    assert reviews_seed.seed_reviews() == 0
    assert OutboxEvent.objects.count() == events
    assert reviews() == state


@pytest.mark.django_db
def test_demo_reviews_are_deterministic(small_shop):
    reviews_seed.seed_reviews()
    first = reviews()
    Review.objects.all().delete()

    reviews_seed.seed_reviews()

    assert reviews() == first
