"""Overselling and deadlocks, tried for real: parallel threads, one connection each.

These run on PostgreSQL only (``services``), outside any test transaction
(``transaction=True``), because the point is what the database does when
separate transactions race for the same rows.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from functools import partial
from operator import itemgetter

import pytest
from django.db import connections

from inventory import api, selectors, services
from inventory.dtos import InsufficientStock, Line
from inventory.events import StockChanged
from inventory.models import Allocation, Reservation, Stock
from kernel import outbox
from kernel.outbox import published

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def relay_left_to_the_beat(monkeypatch):
    """With a real broker, the after-commit nudge only enqueues a relay task.

    Eager Celery (no broker in tests) would run the whole relay inside every
    racing thread instead; the events are still written, and delivered by
    the periodic relay, as in production when the broker is slow.
    """
    monkeypatch.setattr(outbox, "nudge_relay", lambda database: None)


def outcome(attempt: Callable[[], object]) -> str:
    """Classify an attempt: "ok", "insufficient", or the name and text of any other error."""
    try:
        attempt()
    except InsufficientStock:
        return "insufficient"
    except Exception as exc:  # noqa: BLE001 - every other error is a finding
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def race(workers: int, rounds: int, attempt: Callable[[int, int], object]) -> list[Counter]:
    """Run ``attempt(round, worker)`` in ``workers`` threads, each with its own connection.

    All threads are released at the same instant, round after round (a
    barrier between rounds), and keep their connection across rounds.
    Returns the outcomes of each round.
    """
    results = [[""] * workers for _ in range(rounds)]
    start = threading.Barrier(workers)

    def run(worker: int) -> None:
        try:
            for round_ in range(rounds):
                start.wait()
                results[round_][worker] = outcome(partial(attempt, round_, worker))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [Counter(round_results) for round_results in results]


def reserved_per_sku(skus: list[str]) -> list[int]:
    return [Reservation.objects.filter(sku=sku).count() for sku in skus]


def assert_nothing_negative() -> None:
    assert not Stock.objects.filter(on_hand__lt=0).exists()
    assert all(qty >= 0 for qty in selectors.sellable_by_sku().values())


def test_fifty_shoppers_for_the_last_ten_units_never_oversell(put_stock, postgres):
    skus = [f"HOT-{round_}" for round_ in range(20)]
    for sku in skus:
        put_stock(sku, ber=6, rtm=4)

    rounds = race(
        50,
        len(skus),
        lambda r, i: api.reserve(owner=f"cart:{r}:{i}", lines=[Line(skus[r], 1)]),
    )

    assert rounds == [Counter(ok=10, insufficient=40)] * len(skus)
    assert all(count == 10 for count in reserved_per_sku(skus))
    assert selectors.sellable_by_sku(skus=skus) == dict.fromkeys(skus, 0)
    assert_nothing_negative()


def test_fifty_orders_for_the_last_ten_units_allocate_exactly_ten(put_stock, postgres):
    skus = [f"LAST-{round_}" for round_ in range(5)]
    for sku in skus:
        put_stock(sku, ber=3, rtm=7)

    rounds = race(
        50, len(skus), lambda r, i: api.allocate(order_ref=f"O-{r}-{i}", lines=[Line(skus[r], 1)])
    )

    assert rounds == [Counter(ok=10, insufficient=40)] * len(skus)
    assert set(Stock.objects.values_list("on_hand", "allocated")) == {(3, 3), (7, 7)}
    assert Allocation.objects.count() == 10 * len(skus)
    assert_nothing_negative()


def test_baskets_locking_in_opposite_line_orders_do_not_deadlock(put_stock, postgres):
    put_stock("A", ber=30, rtm=30)
    put_stock("B", ber=30, rtm=30)

    def checkout(_round: int, i: int) -> None:
        lines = [Line("A", 1), Line("B", 1)] if i % 2 else [Line("B", 1), Line("A", 1)]
        api.reserve(owner=f"cart:{i}", lines=lines)
        api.allocate(order_ref=f"O-{i}", lines=lines[::-1], reservation_owner=f"cart:{i}")

    assert race(40, 1, checkout) == [Counter(ok=40)]
    assert selectors.sellable_by_sku(skus=["A", "B"]) == {"A": 20, "B": 20}


def test_concurrent_receipts_in_two_warehouses_announce_every_step_in_order(
    warehouses, catalog_skus, postgres
):
    """Subscribers keep the newest StockChanged: it must carry the final quantity."""
    catalog_skus("A")

    outcomes = race(
        20,
        1,
        lambda _r, i: services.stock_receive(
            warehouse_code="ber" if i % 2 else "rtm", sku="A", quantity=1
        ),
    )

    assert outcomes == [Counter(ok=20)]
    announced = published(StockChanged.event_type)
    in_time_order = sorted(
        announced.values_list("payload", flat=True), key=itemgetter("changed_at")
    )
    assert [p["quantity"] for p in in_time_order] == list(range(1, 21))
