"""Orders counted at the same time on PostgreSQL, each on its own connection, lose
no co-purchase increment and do not deadlock."""

import threading
from decimal import Decimal

import pytest
from django.db import connections

from recommendations.models import CoPurchase, ProductTag, SkuState
from recommendations.services import baskets, profiles
from recommendations.tests.conftest import sku, tick

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PARALLEL = 8
ORDERS_EACH = 5


def at_once(work) -> list[Exception]:
    """Run ``work(n)`` for n in range(PARALLEL), each on its own thread and
    connection, all released together; return what they raised."""
    barrier = threading.Barrier(PARALLEL)
    errors = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except Exception as exc:  # noqa: BLE001 - returned to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_parallel_orders_sharing_pairs_all_count(postgres, shop):
    def record_orders(n: int) -> None:
        for k in range(ORDERS_EACH):
            # Overlapping baskets, listed in different orders.
            products = [1, 2, 3, 4] if n % 2 else [4, 3, 2, 1]
            baskets.basket_record(
                order_number=f"PAR-{n}-{k}", skus=[sku(p) for p in products], placed_at=tick()
            )

    assert at_once(record_orders) == []
    counts = set(CoPurchase.objects.values_list("orders", flat=True))
    assert counts == {PARALLEL * ORDERS_EACH}
    assert CoPurchase.objects.count() == 4 * 3


def test_parallel_prices_of_one_products_variants_leave_the_band_of_the_cheapest(postgres, shop):
    """Each band refresh locks the product's profile: none fails on the band tag's
    uniqueness, none keeps a band from before another variant's price."""
    variants = [f"{sku(1)}-{n}" for n in range(PARALLEL)]
    SkuState.objects.bulk_create([SkuState(sku=variant, product_id=1) for variant in variants])

    def price_variant(n: int) -> None:
        profiles.price_record(
            sku=variants[n], currency="EUR", amount=Decimal(2 + 3 * n), changed_at=tick()
        )

    assert at_once(price_variant) == []
    cheapest = min(SkuState.objects.filter(product_id=1).values_list("price", flat=True))
    bands = ProductTag.objects.filter(product_id=1, tag__startswith="band:")
    assert list(bands.values_list("tag", flat=True)) == [f"band:{profiles.price_band(cheapest)}"]
