"""The rating projection: reviews' rating events sort, filter and facet listings."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import api, handlers
from catalog.dtos import ListingQuery, ProductInput, Sort
from reviews.events import RatingChanged

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def shop():
    report = api.upsert_products(
        products=[ProductInput(sku=sku, title=title) for sku, title in
                  [("A", "Alpha"), ("B", "Bravo"), ("C", "Charlie"), ("D", "Delta")]]
    )  # fmt: skip
    assert not report.errors
    return {sku: summary.id for sku, summary in api.products_by_sku(skus=list("ABCD")).items()}


def rate(product_id: int, average: str | None, count: int, *, at=None) -> None:
    handlers.on_rating_changed(
        RatingChanged(
            product_id=product_id,
            product_sku="?",
            average=Decimal(average) if average else None,
            count=count,
            histogram=(0, 0, 0, 0, count),
            changed_at=at or timezone.now(),
        )
    )


def titles(**query) -> list[str]:
    return [p.title for p in api.listing(query=ListingQuery(**query)).page.items]


def test_the_newest_rating_wins_whatever_the_order_of_arrival(shop):
    rate(shop["A"], "4.50", 2, at=NOW)
    rate(shop["A"], "1.00", 1, at=NOW - timedelta(seconds=5))  # late, older
    rate(shop["A"], "4.50", 2, at=NOW)  # delivered twice

    (summary,) = api.listing(query=ListingQuery(q="alpha")).page.items
    assert (summary.rating_average, summary.rating_count) == (Decimal("4.50"), 2)

    rate(shop["A"], None, 0, at=NOW + timedelta(seconds=1))  # every review gone
    (summary,) = api.listing(query=ListingQuery(q="alpha")).page.items
    assert (summary.rating_average, summary.rating_count) == (None, 0)


def test_top_rated_sort_and_stars_and_up_filter_and_facet(shop):
    rate(shop["A"], "3.50", 10)
    rate(shop["B"], "4.80", 5)
    rate(shop["C"], "4.80", 9)  # same average, more reviews: first

    assert titles(sort=Sort.RATING) == ["Charlie", "Bravo", "Alpha", "Delta"]
    assert titles(sort=Sort.RATING, rating_min=4) == ["Charlie", "Bravo"]

    result = api.listing(query=ListingQuery(rating_min=4), with_facets=True)
    (facet,) = [f for f in result.facets if f.param == "rating"]
    assert [(v.value, v.count, v.selected) for v in facet.values] == [
        ("4", 2, True),
        ("3", 3, False),
        ("2", 3, False),
        ("1", 3, False),
    ]


@pytest.mark.parametrize("value", ["5", "0", "four", "-1"])
def test_a_bad_rating_filter_is_named(value):
    parsed = api.listing_query_from_params(params={"rating": [value]}, currency="EUR")
    assert "rating" in parsed.errors


def test_the_rating_filter_parses(db):
    parsed = api.listing_query_from_params(
        params={"rating": ["3"], "sort": ["rating"]}, currency="EUR"
    )
    assert (parsed.errors, parsed.query.rating_min, parsed.query.sort) == ({}, 3, Sort.RATING)


def test_a_rating_change_changes_the_catalog_version(shop):
    before = api.catalog_version().tag
    rate(shop["B"], "5.00", 1)
    after = api.catalog_version().tag
    assert before != after
