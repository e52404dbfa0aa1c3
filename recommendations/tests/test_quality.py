"""Planted co-purchase patterns are found: each product's partner is among its top
three suggestions, through the noise of random extra products.
(bench/recommendations_quality.py measures the same at scale against a
popularity baseline.)"""

import random

from recommendations import api
from recommendations.tests.conftest import order, shelve

PRODUCTS = 24


def partner(product_id: int) -> int:
    return (product_id - 1 + PRODUCTS // 2) % PRODUCTS + 1


def test_planted_partners_are_in_the_top_three(db, settings):
    settings.RECOMMENDATIONS_MIN_SUPPORT = 2
    rng = random.Random(3)
    for product_id in range(1, PRODUCTS + 1):
        shelve(product_id, category=f"c{product_id % 5}")  # partners: another category
    for _ in range(400):
        anchor = rng.randint(1, PRODUCTS)
        noise = rng.sample(range(1, PRODUCTS + 1), 2)
        basket = {anchor, *noise, *([partner(anchor)] if rng.random() < 0.6 else [])}
        order(*basket)
    for product_id in range(1, PRODUCTS + 1):
        top = [item.product_id for item in api.for_product(product_id=product_id).items[:3]]
        assert partner(product_id) in top, (product_id, top)
