"""Customers who bought this also bought: learnt from orders, corrected by cancellations,
and the same whether kept per event or recomputed from the stored baskets."""

import io
import random

from django.core.management import call_command

from recommendations import api
from recommendations.dtos import Reason
from recommendations.models import CoPurchase
from recommendations.services import baskets
from recommendations.tests.conftest import order, shelve, tick


def bought_together(product_id: int) -> list[int]:
    row = api.for_product(product_id=product_id).items
    return [item.product_id for item in row if item.reason == Reason.BOUGHT_TOGETHER]


def counts() -> dict[tuple[int, int], int]:
    return {(p.product_id, p.other_id): p.orders for p in CoPurchase.objects.filter(orders__gt=0)}


def test_products_bought_together_come_first_most_shared_first(shop):
    for _ in range(3):
        order(1, 5)
    for _ in range(2):
        order(1, 3, 11)
    assert bought_together(1) == [5, 3, 11]
    assert bought_together(11) == [1, 3]
    row = api.for_product(product_id=1).items
    assert [item.sku for item in row[:3]] == ["P-5", "P-3", "P-11"]


def test_pairs_below_the_minimum_support_are_not_suggested(shop, settings):
    order(1, 5)
    order(1, 5)
    order(1, 7)
    assert bought_together(1) == [5]
    settings.RECOMMENDATIONS_MIN_SUPPORT = 1
    assert bought_together(1) == [5, 7]


def test_a_cancelled_order_no_longer_counts(shop):
    order(1, 5)
    number = order(1, 5)
    assert bought_together(1) == [5]
    baskets.basket_cancel(order_number=number)
    baskets.basket_cancel(order_number=number)  # told twice: taken away once
    assert bought_together(1) == []
    assert counts() == {(1, 5): 1, (5, 1): 1}


def test_a_cancellation_arriving_before_its_order_keeps_it_from_counting(shop):
    order(1, 5)
    baskets.basket_cancel(order_number="LATE-1")
    baskets.basket_record(order_number="LATE-1", skus=["P-1", "P-5"], placed_at=tick())
    assert counts() == {(1, 5): 1, (5, 1): 1}


def test_an_order_told_twice_counts_once(shop):
    order(1, 5)
    for _ in range(2):
        baskets.basket_record(order_number="TWICE", skus=["P-1", "P-5"], placed_at=tick())
    assert counts() == {(1, 5): 2, (5, 1): 2}


def test_variants_and_quantities_count_the_product_once(shop):
    shelve(13)
    order(13, 13, 1)
    assert counts() == {(1, 13): 1, (13, 1): 1}


def test_the_full_recompute_gives_what_the_events_built(shop):
    rng = random.Random(7)
    placed = []
    for _ in range(150):
        placed.append(order(*rng.sample(range(1, 13), rng.randint(1, 5))))
    for number in rng.sample(placed, 30):
        baskets.basket_cancel(order_number=number)
    incremental = counts()
    assert incremental
    CoPurchase.objects.all().delete()
    out = io.StringIO()
    call_command("recompute_recommendations", stdout=out)
    assert out.getvalue() == f"{len(incremental)} product pairs counted.\n"
    assert counts() == incremental


def test_the_nightly_task_is_on_the_beat_schedule_and_recomputes(shop, settings):
    from recommendations.tasks import recompute_copurchases

    entry = settings.CELERY_BEAT_SCHEDULE["recommendations-recompute"]
    assert entry["task"] == recompute_copurchases.name
    order(1, 2)
    order(1, 2)
    before = counts()
    CoPurchase.objects.update(orders=99)
    assert recompute_copurchases.delay().get() == 2
    assert counts() == before
