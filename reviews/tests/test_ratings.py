"""The kept rating equals a recount from scratch, after any history of changes."""

import io

import pytest
from django.core.management import call_command

from kernel.outbox import published
from reviews import api
from reviews.models import ProductRating
from reviews.tests.factories import deliver, draft, make_customer, write

pytestmark = pytest.mark.django_db


def ratings() -> dict:
    return {
        row.product_id: (row.product_sku, row.count, row.total, row.histogram, row.average)
        for row in ProductRating.objects.all()
    }


def recompute() -> str:
    out = io.StringIO()
    call_command("recompute_ratings", stdout=out)
    return out.getvalue()


def history(products) -> None:
    """Publishes, edits, deletes, rejections and reports over two products."""
    shoppers = [make_customer(f"s{n}") for n in range(6)]
    for shopper, stars in zip(shoppers, (5, 5, 4, 2, 1, 3), strict=True):
        deliver(shopper, "TEA", "MUG-S")
        write(shopper, products["TEA"], rating=stars)
        write(shopper, products["MUG"], rating=6 - stars)
    mine = {r.product_id: r for r in api.customer_reviews(customer_id=shoppers[0].pk)}
    api.edit_review(
        customer_id=shoppers[0].pk, review_id=mine[products["TEA"]].id, draft=draft(rating=3)
    )
    api.delete_review(customer_id=shoppers[0].pk, review_id=mine[products["MUG"]].id)
    theirs = api.customer_reviews(customer_id=shoppers[1].pk)
    api.moderate(review_ids=[r.id for r in theirs], approve=False, reason="Spam")
    target = api.customer_reviews(customer_id=shoppers[2].pk)[0].id
    for reporter in shoppers[3:]:
        api.report(customer_id=reporter.pk, review_id=target)


def test_recompute_from_scratch_gives_exactly_the_kept_numbers(products):
    history(products)
    kept = ratings()
    assert kept  # the history left published reviews behind

    assert recompute() == "0 product ratings corrected.\n"
    assert ratings() == kept

    ProductRating.objects.update(
        count=0, total=0, stars_1=0, stars_2=0, stars_3=0, stars_4=0, stars_5=0
    )
    ProductRating.objects.filter(product_id=products["MUG"]).delete()
    events_before = published("reviews.rating_changed.v1").count()

    assert recompute() == "2 product ratings corrected.\n"
    assert ratings() == kept
    assert published("reviews.rating_changed.v1").count() == events_before + 2
