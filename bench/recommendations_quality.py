"""Benchmark: do "bought together" suggestions find what customers really buy together?

    .venv/bin/python bench/recommendations_quality.py   # BENCH_DATABASE_URL: bench/scratch.py

Builds a throw-away PostgreSQL database (BENCH_DATABASE_URL's name +
"_recommendations", created and dropped here) with
200 products in 10 categories, each with one *planted partner* in another
category (a pot and its cups), and 4,000 synthetic orders: a product chosen
with a skewed popularity, its partner with it 60 % of the time, and one or
two random products as noise. The orders are fed as ``orders.order_placed.v1``
payloads to recommendations' own handler, in order; the last 20 % are held
out.

For every held-out basket and each product in it, a *hit* is any other
product of that basket among the 10 suggested for it. Co-occurrence
(``recommendations.api.for_product``, the row a product page shows) is
compared with a popularity baseline (the 10 products most ordered in the
training orders); it exits non-zero unless co-occurrence wins by at least
``MIN_LIFT``.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scratch

scratch.isolate_environment()
os.environ["DATABASE_URL"] = scratch.database_url("recommendations")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

PRODUCTS = 200
CATEGORIES = 10
ORDERS = 4_000
HELD_OUT = 0.2
PARTNER_RATE = 0.6
TOP = 10
#: Co-occurrence must find at least this many times the baseline's hits.
MIN_LIFT = 1.2
SEED = 20261130


def partner(product_id: int) -> int:
    """The planted partner: half the catalogue away, so in another category."""
    return (product_id - 1 + PRODUCTS // 2) % PRODUCTS + 1


def planted_orders(rng: random.Random) -> list[list[int]]:
    """Baskets of product ids with planted pairs and noise; popularity skewed (Zipf-like)."""
    weights = [1 / (rank + 1) ** 0.7 for rank in range(PRODUCTS)]
    ids = list(range(1, PRODUCTS + 1))
    baskets = []
    for _ in range(ORDERS):
        anchor = rng.choices(ids, weights)[0]
        basket = {anchor}
        if rng.random() < PARTNER_RATE:
            basket.add(partner(anchor))
        basket.update(rng.choices(ids, weights, k=rng.randint(1, 2)))
        baskets.append(sorted(basket))
    return baskets


def shelve_products(rng: random.Random) -> None:
    from catalog.dtos import CategoryRef, ProductDetail
    from recommendations.services import profiles

    changed_at = datetime(2026, 1, 1, tzinfo=UTC)
    for product_id in range(1, PRODUCTS + 1):
        category = f"category-{product_id % CATEGORIES}"
        profiles.profile_refresh(
            product_id=product_id,
            product=ProductDetail(
                id=product_id,
                sku=f"P-{product_id}",
                title=f"Product {product_id}",
                slug=f"product-{product_id}",
                description="",
                category=CategoryRef(slug=category, name=category),
            ),
        )
        price = Decimal(rng.randint(5, 200))
        profiles.price_record(
            sku=f"P-{product_id}", currency="EUR", amount=price, changed_at=changed_at
        )
        profiles.stock_record(sku=f"P-{product_id}", quantity=10, changed_at=changed_at)


def feed(baskets: list[list[int]]) -> None:
    """Each basket as an ``orders.order_placed.v1`` payload, to recommendations' handler."""
    from orders.events import EventLine, OrderPlaced
    from recommendations.handlers import on_order_placed

    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n, basket in enumerate(baskets):
        on_order_placed(
            OrderPlaced(
                order_number=f"BENCH-{n:05d}",
                customer_id=None,
                email="bench@example.com",
                currency="EUR",
                grand_total=Decimal(0),
                lines=tuple(EventLine(sku=f"P-{pid}", quantity=1) for pid in basket),
                placed_at=start + timedelta(minutes=n),
            )
        )


def hit_rate(held_out: list[list[int]], suggest) -> float:
    """Share of (basket, product) cases where another product of the basket is suggested."""
    cases = hits = 0
    for basket in held_out:
        if len(basket) < 2:
            continue
        for product_id in basket:
            others = set(basket) - {product_id}
            cases += 1
            hits += bool(others & set(suggest(product_id)))
    return hits / cases


def main() -> int:
    from recommendations import api

    rng = random.Random(SEED)
    with scratch.scratch_database(os.environ["DATABASE_URL"]):
        call_command("migrate", verbosity=0)
        shelve_products(rng)
        baskets = planted_orders(rng)
        cut = int(len(baskets) * (1 - HELD_OUT))
        training, held_out = baskets[:cut], baskets[cut:]
        started = time.monotonic()
        feed(training)
        fed = time.monotonic() - started
        popular = [pid for pid, _ in Counter(p for b in training for p in b).most_common()]

        def by_popularity(product_id: int) -> list[int]:
            return [pid for pid in popular if pid != product_id][:TOP]

        def by_cooccurrence(product_id: int) -> list[int]:
            row = api.for_product(product_id=product_id, limit=TOP).items
            return [item.product_id for item in row]

        baseline = hit_rate(held_out, by_popularity)
        cooccurrence = hit_rate(held_out, by_cooccurrence)
    print(f"{len(training)} training orders fed in {fed:.1f} s, {len(held_out)} held out")
    print(f"hit rate at {TOP}: popularity {baseline:.3f}, co-occurrence {cooccurrence:.3f}")
    print(f"lift {cooccurrence / baseline:.2f} (floor {MIN_LIFT})")
    if cooccurrence < baseline * MIN_LIFT:
        print("MISSED: co-occurrence does not beat the popularity baseline enough")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
