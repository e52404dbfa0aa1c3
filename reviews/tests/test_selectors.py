"""A product's page of reviews costs the same few queries for one review or many."""

import pytest

from reviews import api
from reviews.dtos import ReviewQuery, ReviewSort
from reviews.tests.factories import deliver, make_customer, write

pytestmark = pytest.mark.django_db


def test_one_or_many_reviews_cost_the_same_queries(products, ada, django_assert_num_queries):
    deliver(ada, "TEA")
    write(ada, products["TEA"])
    reader = make_customer("reader")
    # the rating row, the count, the page, the reader's own votes on the page
    with django_assert_num_queries(4):
        api.product_reviews(product_id=products["TEA"], viewer_id=reader.pk)

    for n in range(25):
        shopper = make_customer(f"s{n}")
        deliver(shopper, "TEA")
        write(shopper, products["TEA"], rating=n % 5 + 1)
    with django_assert_num_queries(4):
        page = api.product_reviews(
            product_id=products["TEA"],
            query=ReviewQuery(sort=ReviewSort.LOWEST, stars=1, page=2, per_page=3),
            viewer_id=reader.pk,
        )
    assert (page.total, page.number, len(page.items)) == (5, 2, 2)
    assert {review.rating for review in page.items} == {1}


def test_a_page_past_the_end_is_the_last_page(products, ada):
    deliver(ada, "TEA")
    write(ada, products["TEA"])
    page = api.product_reviews(product_id=products["TEA"], query=ReviewQuery(page=7))
    assert (page.number, page.page_count, len(page.items)) == (1, 1, 1)
