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
