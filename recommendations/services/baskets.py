"""Orders' baskets, and "customers who bought this also bought" learnt from them.

Two products are *bought together* once per order that holds both (the
quantities do not matter: ten tea bags and a pot are one co-purchase).
``CoPurchase`` keeps that count for every pair, in both directions, over
the orders not cancelled.

The counts are kept two ways that must agree (tested):

- incrementally, per event: an order placed adds one to each of its pairs,
  an order cancelled takes one away (``basket_record``, ``basket_cancel``);
- in full, from the baskets this context stored from the same events
  (``copurchases_recompute``, run nightly by beat and by
  ``manage.py recompute_recommendations``). Recommendations may not read
  orders' tables, so its own ``OrderBasket`` rows are the record it
  recomputes from.

A basket's SKUs become products through ``SkuState`` when the order
arrives; a SKU the catalog had not announced yet is left out of that
basket for good (the recompute reads the stored products, not the SKUs),
so both ways still agree.

Baskets with more than ``MAX_BASKET_PRODUCTS`` products count only their
first ones (by product id): a wholesale order of 200 items says little
about what goes together and would cost 40 000 pair updates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from itertools import permutations

from django.db.models import F

from kernel.databases import atomic
from recommendations.models import CoPurchase, OrderBasket, SkuState

MAX_BASKET_PRODUCTS = 50


def _pairs(product_ids: Iterable[int]) -> list[tuple[int, int]]:
    return list(permutations(product_ids, 2))


def _basket_products(skus: Iterable[str]) -> list[int]:
    known = SkuState.objects.filter(sku__in=set(skus), product_id__isnull=False)
    product_ids = sorted(set(known.values_list("product_id", flat=True)))
    return product_ids[:MAX_BASKET_PRODUCTS]


def _count(product_ids: list[int], step: int) -> None:
    """Add ``step`` to every pair of ``product_ids``, creating missing pairs first.

    Rows are created empty and then incremented in the database
    (``orders = orders + step``), so two orders counted at once never lose
    an increment. Both the inserts and the row locks go in (product, other)
    order, so two baskets sharing pairs wait for each other instead of
    deadlocking (tested on PostgreSQL with parallel connections).
    """
    if len(product_ids) < 2:
        return
    if step > 0:
        CoPurchase.objects.bulk_create(
            [CoPurchase(product_id=a, other_id=b) for a, b in _pairs(product_ids)],
            ignore_conflicts=True,
        )
    pairs = CoPurchase.objects.filter(product_id__in=product_ids, other_id__in=product_ids)
    locked = pairs.select_for_update().order_by("product_id", "other_id")
    pairs.filter(pk__in=list(locked.values_list("pk", flat=True))).update(orders=F("orders") + step)
    if step < 0:
        pairs.filter(orders__lte=0).delete()


@atomic("recommendations")
def basket_record(*, order_number: str, skus: Iterable[str], placed_at: datetime) -> None:
    """An order was placed: store its basket and count its pairs (once per order)."""
    basket, created = OrderBasket.objects.select_for_update().get_or_create(
        order_number=order_number
    )
    if not created and basket.placed_at is not None:
        return
    basket.product_ids = _basket_products(skus)
    basket.placed_at = placed_at
    basket.save()
    if not basket.cancelled:
        _count(basket.product_ids, +1)


@atomic("recommendations")
def basket_cancel(*, order_number: str) -> None:
    """An order was cancelled: its pairs no longer count (also if it has not arrived yet)."""
    basket, _ = OrderBasket.objects.select_for_update().get_or_create(order_number=order_number)
    if basket.cancelled:
        return
    basket.cancelled = True
    basket.save(update_fields=["cancelled"])
    _count(basket.product_ids, -1)


def _live_counts() -> Counter:
    counts: Counter = Counter()
    live = OrderBasket.objects.filter(cancelled=False).values_list("product_ids", flat=True)
    for product_ids in live.iterator(chunk_size=2000):
        counts.update(_pairs(product_ids))
    return counts


@atomic("recommendations")
def copurchases_recompute() -> int:
    """Rebuild every co-purchase count from the stored baskets; returns the number of pairs."""
    counts = _live_counts()
    CoPurchase.objects.all().delete()
    CoPurchase.objects.bulk_create(
        [CoPurchase(product_id=a, other_id=b, orders=n) for (a, b), n in counts.items()],
        batch_size=5000,
    )
    return len(counts)
