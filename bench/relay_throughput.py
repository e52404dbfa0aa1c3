"""Benchmark: the relay delivering an import's events (target: 1,000 events a second).

    .venv/bin/python bench/run.py relay_throughput
    BENCH_RELAY_PRODUCTS=1000 BENCH_RELAY_MODE=eager .venv/bin/python bench/relay_throughput.py

An import's mix of events, queued in the outbox of a scratch database
(BENCH_DATABASE_URL's name + "_relay") with no relay running: per product
(two variants) a ``ProductChanged`` and a ``ProductPublished`` from the real
catalog import (``catalog.api.upsert_products``), and per variant a
``PriceChanged`` in the shop's currency and a ``StockChanged``, as the price
and stock imports publish them (``publish_many``): six events and fourteen
deliveries a product, 20,000 events by default. Every subscriber of those
types runs for real against the imported catalogue.

Then the relay runs once and the clock runs until no delivery is pending:

- ``worker`` (default): the production path. One Celery worker with every
  queue and the concurrency docs/operations.md recommends for one machine
  (BENCH_RELAY_CONCURRENCY, default 4) on BENCH_REDIS_URL's database; the
  relay task's work (fan out, lease, send) is done by this process.
- ``eager``: the embedded default, every delivery in this one process.

The target is 1,000 events a second: the 460,000 events of a 100,000-product
import (prices and stock included) delivered in under 8 minutes, so the
products are searchable with prices and stock within 10 minutes of the
import's start. Load average is printed alongside: the number is only as
quiet as the machine.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scratch, servers, shapes

PRODUCTS = int(os.environ.get("BENCH_RELAY_PRODUCTS", "3334"))
MODE = os.environ.get("BENCH_RELAY_MODE", "worker")
CONCURRENCY = int(os.environ.get("BENCH_RELAY_CONCURRENCY", "4"))
TARGET_EVENTS_PER_SECOND = 1000
SIZES = ("S", "M")
#: No delivery finished for this long: the run is stuck (a failing handler waits for backoff).
STALL_SECONDS = 120


def main() -> None:
    if MODE not in ("worker", "eager"):
        sys.exit(f"BENCH_RELAY_MODE must be worker or eager, not {MODE!r}")
    scratch.isolate_environment()
    url = scratch.database_url("relay")
    broker = scratch.redis_url()
    with scratch.scratch_database(url), scratch.new_broker_keys_removed(broker):
        os.environ.update(DATABASE_URL=url, DEBUG="0", SECRET_KEY="bench-only-not-secret")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        os.environ["OUTBOX_RETRY_BASE_SECONDS"] = "0"  # see deliver_all
        if MODE == "worker":
            os.environ["CELERY_BROKER_URL"] = broker
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        events = queue_import_events()
        seconds, deliveries = deliver_all()
    rate = events / seconds
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"relay_throughput ({MODE}{f', concurrency {CONCURRENCY}' if MODE == 'worker' else ''}): "
        f"{events:,} events, {deliveries:,} deliveries in {seconds:.1f} s: "
        f"{rate:,.0f} events/s, {deliveries / seconds:,.0f} deliveries/s "
        f"(target {TARGET_EVENTS_PER_SECOND:,} events/s); load average {load}"
    )
    if rate < TARGET_EVENTS_PER_SECOND:
        sys.exit(1)


@contextmanager
def relay_not_nudged():
    """Keep the events in the outbox while they are queued: the measured relay starts later."""
    from kernel import outbox

    nudge = outbox._nudge_relay_after_commit
    outbox._nudge_relay_after_commit = lambda database: None
    try:
        yield
    finally:
        outbox._nudge_relay_after_commit = nudge


def queue_import_events() -> int:
    """Import the products, publish their prices and stock; return how many events wait."""
    from django.conf import settings
    from django.utils import timezone

    from catalog import api
    from inventory.events import StockChanged
    from kernel.databases import atomic
    from kernel.outbox import publish_many
    from kernel.tests.outboxes import event_count
    from pricing.events import PriceChanged

    with relay_not_nudged():
        shapes.create_sized_shape(SIZES)
        for start in range(0, PRODUCTS, 1000):
            numbers = range(start, min(start + 1000, PRODUCTS))
            report = api.upsert_products(
                products=[
                    shapes.sized_product(f"BR-{i:05d}", f"Relay bench product {i}", SIZES)
                    for i in numbers
                ]
            )
            assert not report.errors, report.errors[:3]
            now = timezone.now()
            skus = [f"BR-{i:05d}-{size}" for i in numbers for size in SIZES]
            with atomic("pricing"):
                publish_many(
                    PriceChanged(sku, settings.DEFAULT_CURRENCY, None, Decimal("9.90"), now)
                    for sku in skus
                )
            with atomic("inventory"):
                publish_many(StockChanged(sku=sku, quantity=5, changed_at=now) for sku in skus)
    return event_count()


def deliver_all() -> tuple[float, int]:
    """Relay until every delivery is done; (seconds, deliveries).

    The relay runs again every second, like beat with a short interval and
    no backoff: a failed delivery (a race between two handlers) is retried
    at once instead of stalling the run for its backoff. Leased deliveries
    are not offered twice, so this adds only a lease query per second.
    """
    from kernel import relay, tasks

    dispatch = tasks.send_delivery if MODE == "worker" else relay.deliver_due
    with servers.celery_worker(concurrency=CONCURRENCY) if MODE == "worker" else _nothing():
        started = time.monotonic()
        deliveries = _wait_until_delivered(lambda: relay.relay(dispatch=dispatch, batch_size=1000))
        return time.monotonic() - started, deliveries


@contextmanager
def _nothing():
    yield


def _wait_until_delivered(relay_once) -> int:
    """Relay and poll until nothing is pending; exit if it stops moving. Returns deliveries."""
    from django.db import connection
    from django.db.models import Sum

    from kernel.models import Delivery

    pending, moved_at = None, time.monotonic()
    while True:
        relay_once()
        now_pending = Delivery.objects.exclude(status=Delivery.Status.DELIVERED).count()
        if now_pending == 0:
            deliveries = Delivery.objects.count()
            attempts = Delivery.objects.aggregate(total=Sum("attempts"))["total"]
            print(f"failed attempts retried: {attempts - deliveries}")
            return deliveries
        if now_pending != pending:
            pending, moved_at = now_pending, time.monotonic()
        elif time.monotonic() - moved_at > STALL_SECONDS:
            failed = Delivery.objects.exclude(last_error="").values_list("last_error", flat=True)
            sys.exit(f"{pending} deliveries stuck; first error: {failed.first()}")
        connection.close()  # a fresh snapshot, and no idle transaction held
        time.sleep(1)


if __name__ == "__main__":
    main()
