"""Orders counted at the same time on PostgreSQL, each on its own connection, lose
no co-purchase increment and do not deadlock."""

import threading

import pytest
from django.db import connections

from recommendations.models import CoPurchase
from recommendations.services import baskets
from recommendations.tests.conftest import sku, tick

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PARALLEL = 8
ORDERS_EACH = 5


def test_parallel_orders_sharing_pairs_all_count(postgres, shop):
    barrier = threading.Barrier(PARALLEL)
    errors = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for k in range(ORDERS_EACH):
                # Overlapping baskets, listed in different orders.
                products = [1, 2, 3, 4] if n % 2 else [4, 3, 2, 1]
                baskets.basket_record(
                    order_number=f"PAR-{n}-{k}",
                    skus=[sku(p) for p in products],
                    placed_at=tick(),
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    counts = set(CoPurchase.objects.values_list("orders", flat=True))
    assert counts == {PARALLEL * ORDERS_EACH}
    assert CoPurchase.objects.count() == 4 * 3


def test_parallel_prices_of_one_products_variants_leave_the_band_of_the_cheapest(postgres, shop):
    """Each band refresh locks the product's profile: none fails on the band tag's
    uniqueness, none keeps a band from before another variant's price."""
    from decimal import Decimal

    from recommendations.models import ProductTag, SkuState
    from recommendations.services import profiles

    variants = [f"{sku(1)}-{n}" for n in range(PARALLEL)]
    SkuState.objects.bulk_create([SkuState(sku=variant, product_id=1) for variant in variants])
    barrier = threading.Barrier(PARALLEL)
    errors = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            profiles.price_record(
                sku=variants[n], currency="EUR", amount=Decimal(2 + 3 * n), changed_at=tick()
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    cheapest = min(SkuState.objects.filter(product_id=1).values_list("price", flat=True))
    bands = ProductTag.objects.filter(product_id=1, tag__startswith="band:")
    assert list(bands.values_list("tag", flat=True)) == [f"band:{profiles.price_band(cheapest)}"]
