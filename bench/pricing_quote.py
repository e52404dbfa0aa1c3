"""Benchmark: how fast pricing answers a listing page and a basket quote.

    .venv/bin/python bench/pricing_quote.py     # BENCH_DATABASE_URL: see bench/scratch.py

Builds a throw-away database (BENCH_DATABASE_URL's name + "_pricing", by
default ``commerce_bench_pricing``, created and dropped here) with
5,000 SKUs in three currencies, a wholesale price list, 40 promotions, a
running experiment and vouchers, then times ``prices_for`` for a 48-product
listing page and ``quote`` for a 20-line basket with a voucher and a
visitor id. Prints p50/p95 per call and the queries each one made; exits
non-zero if a p95 misses its target.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scratch

scratch.isolate_environment()
os.environ["DATABASE_URL"] = scratch.database_url("pricing")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SKUS = 5_000
ROUNDS = 200
#: p95 targets in milliseconds (a listing page's pricing share, a cart refresh).
TARGETS = {"prices_for(48 skus)": 25.0, "quote(20 lines)": 60.0}


def build() -> None:
    from kernel.money import Money
    from pricing import api
    from pricing.dtos import ExperimentSpec, PromotionSpec, TargetSpec, VariantSpec
    from pricing.models import Price, PriceList, PriceListEntry, SkuPlacement

    categories = [f"cat-{n}" for n in range(20)]
    Price.objects.bulk_create(
        Price(sku=f"SKU-{n:05d}", currency=c, amount=Decimal(5 + n % 300) + Decimal("0.99"))
        for n in range(SKUS)
        for c in ("EUR", "USD", "GBP")
    )
    SkuPlacement.objects.bulk_create(
        SkuPlacement(
            sku=f"SKU-{n:05d}",
            product_id=n,
            product_sku=f"SKU-{n:05d}",
            category_slugs=[categories[n % 20], "all"],
        )
        for n in range(SKUS)
    )
    api.upsert_price_list(name="Wholesale", customer_group="wholesale", prices=[])
    wholesale = PriceList.objects.get(name="Wholesale")
    PriceListEntry.objects.bulk_create(
        PriceListEntry(price_list=wholesale, sku=f"SKU-{n:05d}", currency="EUR", amount=4)
        for n in range(0, SKUS, 2)
    )
    api.set_tax_rate(country="DE", tax_class="standard", rate=Decimal("0.19"))
    for n in range(40):
        api.upsert_promotion(
            spec=PromotionSpec(
                slug=f"promo-{n}",
                name=f"Promo {n}",
                reason=f"{n % 15 + 1} % off",
                kind="percentage",
                percent=Decimal(n % 15 + 1),
                targets=(TargetSpec("category", categories[n % 20]),),
                priority=n % 5,
            )
        )
    api.upsert_promotion(
        spec=PromotionSpec(
            slug="welcome",
            name="Welcome",
            reason="10 % off",
            kind="percentage",
            scope="order",
            percent=Decimal(10),
            requires_voucher=True,
        )
    )
    api.upsert_voucher(code="WELCOME", promotion_slug="welcome", min_order=Money(10, "EUR"))
    api.upsert_experiment(
        spec=ExperimentSpec(
            slug="exp",
            name="Experiment",
            category_slug="cat-3",
            variants=(
                VariantSpec(key="control", weight=1),
                VariantSpec(key="plus-5", weight=1, rule="percent", percent=Decimal(5)),
            ),
        ),
        running=True,
    )


def timed(name: str, call) -> float:
    samples, queries = [], 0
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    samples.sort()
    p50, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
    print(f"{name:24} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   {queries} queries")
    return p95


def main() -> int:
    from pricing import api
    from pricing.dtos import BasketLine, Customer, QuoteContext

    with scratch.scratch_database(os.environ["DATABASE_URL"]):
        call_command("migrate", verbosity=0)
        build()
        listing = [f"SKU-{n:05d}" for n in range(0, 48 * 7, 7)]
        basket = [BasketLine(f"SKU-{n:05d}", 1 + n % 3) for n in range(0, 20 * 11, 11)]
        customer = Customer(customer_id=1, groups=("wholesale",))
        context = QuoteContext(visitor_id="bench-visitor", country="DE")
        results = {
            "prices_for(48 skus)": timed(
                "prices_for(48 skus)",
                lambda: api.prices_for(
                    skus=listing, currency="EUR", customer=customer, context=context
                ),
            ),
            "quote(20 lines)": timed(
                "quote(20 lines)",
                lambda: api.quote(
                    lines=basket,
                    currency="EUR",
                    customer=customer,
                    voucher_codes=["WELCOME"],
                    context=context,
                ),
            ),
        }
    missed = [name for name, p95 in results.items() if p95 > TARGETS[name]]
    for name in missed:
        print(f"MISSED: {name} p95 above {TARGETS[name]} ms")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
