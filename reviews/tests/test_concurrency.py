"""Parallel writes on PostgreSQL: the rating row lock keeps every product's numbers exact."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from kernel.outbox import published
from reviews import api, ratings
from reviews.dtos import DuplicateReview, ReviewNotFound
from reviews.models import Review
from reviews.tests.factories import deliver, draft, make_customer, write

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_parallel_reviews_of_one_product_are_all_counted(postgres, products):
    shoppers = [make_customer(f"p{n}") for n in range(8)]
    for shopper in shoppers:
        deliver(shopper, "TEA")

    def write(index: int) -> None:
        shopper = shoppers[index]
        try:
            api.write_review(
                customer_id=shopper.pk,
                author_name=shopper.first_name,
                product_id=products["TEA"],
                draft=draft(rating=index % 5 + 1),
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(8)))

    summary = api.rating_summary(product_id=products["TEA"])
    assert (summary.count, summary.histogram) == (8, (2, 2, 2, 1, 1))
    assert ratings.recompute_all() == 0
    last = published("reviews.rating_changed.v1").order_by("id").last()
    assert last.payload["count"] == 8  # the last committed event carries the final numbers


def test_two_tabs_submitting_at_once_leave_one_review(postgres, products, ada):
    def write(_) -> str:
        try:
            api.write_review(
                customer_id=ada.pk, author_name="Ada", product_id=products["TEA"], draft=draft()
            )
            return "written"
        except DuplicateReview:
            return "duplicate"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(write, range(4)))

    assert outcomes == ["duplicate"] * 3 + ["written"]
    assert Review.objects.count() == 1


def test_every_report_of_shoppers_tapping_at_once_is_answered_as_their_first(
    postgres, products, ada
):
    """Three shoppers each send their report three times at once: the third shopper's
    report unpublishes the review, and their repeats waiting for it are no 404."""
    deliver(ada, "TEA")
    review = write(ada, products["TEA"])
    shoppers = [make_customer(f"r{n}") for n in range(3)]

    def report(index: int) -> str:
        try:
            api.report(customer_id=shoppers[index // 3].pk, review_id=review.id)
            return "reported"
        except ReviewNotFound:
            return "not found"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=9) as pool:
        outcomes = list(pool.map(report, range(9)))

    assert outcomes == ["reported"] * 9
    assert Review.objects.get(pk=review.id).report_count == 3
