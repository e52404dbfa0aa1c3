"""Demo reviews: a few per product from a handful of demo customers, the way shops look.

Ratings are skewed high like real ones (most 4-5 stars, a tail of 1s),
some products have none, about two thirds are verified purchases (their
delivery is recorded through ``reviews.api.record_delivery``, as orders'
``order_delivered`` events would) and are published at once by the
moderation rule; of the others some were approved and the rest wait in the
admin's moderation queue. Everything derives from a fixed seed and each
product's code, and goes in through ``reviews.api``; a review that exists
is left alone, so a second run writes nothing.

The demo customers are plain accounts (demo/customers.py); they also place
some of the demo's orders (demo/orders_seed.py).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from catalog import api as catalog_api
from catalog.dtos import ProductSummary
from demo.customers import ensure_customers
from reviews import api as reviews_api
from reviews.dtos import ReviewDraft

SEED = 20261130
DELIVERED_AT = datetime(2026, 11, 1, 12, tzinfo=UTC)
CUSTOMERS = [
    ("amara.okafor", "Amara", "Okafor"), ("ben.lindqvist", "Ben", "Lindqvist"),
    ("chloe.martin", "Chloé", "Martin"), ("dev.patel", "Dev", "Patel"),
    ("elena.rossi", "Elena", "Rossi"), ("felix.wagner", "Felix", "Wagner"),
    ("grace.kim", "Grace", "Kim"), ("hugo.silva", "Hugo", "Silva"),
]  # fmt: skip
#: How many reviews a product gets, and how likely each number of stars is.
REVIEWS_PER_PRODUCT = (0, 0, 1, 1, 2, 3, 4, 5)
STAR_WEIGHTS = {5: 45, 4: 28, 3: 11, 2: 6, 1: 10}
VERIFIED_SHARE = 0.65
APPROVED_SHARE = 0.5
TEXTS = {
    5: [("Exactly what I hoped for", "Great quality and it arrived quickly. Would buy again."),
        ("Love it", "Better than the pictures. Using it every day."),
        ("Excellent value", "Well made and fairly priced; I have recommended it to friends.")],
    4: [("Very good", "Does the job well. Only small quibbles."),
        ("Happy with it", "Good quality; delivery took a day longer than promised.")],
    3: [("It's fine", "Does what it says, nothing more. Expected a bit more for the price."),
        ("Average", "Decent, but I have seen better elsewhere.")],
    2: [("Disappointing", "Smaller than I expected and the finish is rough.")],
    1: [("Not for me", "Stopped working after a week; sent it back."),
        ("Would not buy again", "Poor quality compared to the description.")],
}  # fmt: skip
PROS = ["Well made", "Good value", "Looks great", "Easy to use", ""]
CONS = ["Pricey", "Packaging could be better", "Runs small", "", ""]


def demo_customers() -> list[int]:
    """The demo customers' ids, creating the accounts the first time."""
    return ensure_customers(CUSTOMERS)


def _products() -> list[ProductSummary]:
    found, page = [], 1
    while True:
        batch = catalog_api.product_page(page=page, per_page=96)
        found.extend(batch.items)
        if page >= batch.page_count:
            return found
        page += 1


def _author(customer_id: int, customers: list[int]) -> str:
    _, first, last = CUSTOMERS[customers.index(customer_id)]
    return f"{first} {last[0]}."


def seed_reviews() -> int:
    """Write the demo reviews that are missing; returns how many were written."""
    customers = demo_customers()
    written, to_approve = 0, []
    for product in _products():
        rng = random.Random(f"{SEED}:{product.sku}")
        authors = rng.sample(customers, rng.choice(REVIEWS_PER_PRODUCT))
        for customer_id in authors:
            stars = rng.choices(list(STAR_WEIGHTS), weights=list(STAR_WEIGHTS.values()))[0]
            title, body = rng.choice(TEXTS[stars])
            verified, approved = rng.random() < VERIFIED_SHARE, rng.random() < APPROVED_SHARE
            pros, cons = rng.choice(PROS), rng.choice(CONS)
            if reviews_api.customer_review_of(customer_id=customer_id, product_id=product.id):
                continue
            if verified:
                reviews_api.record_delivery(
                    customer_id=customer_id,
                    skus=[(product.variant_skus or (product.sku,))[0]],
                    order_number="DEMO",
                    delivered_at=DELIVERED_AT,
                )
            review = reviews_api.write_review(
                customer_id=customer_id,
                author_name=_author(customer_id, customers),
                product_id=product.id,
                draft=ReviewDraft(rating=stars, title=title, body=body, pros=pros, cons=cons),
            )
            written += 1
            if review.status == "pending" and approved:
                to_approve.append(review.id)
    if to_approve:
        reviews_api.moderate(review_ids=to_approve, approve=True)
    return written
