"""Benchmark: checkout under a surge, over the REST API: orders a second, latency, SQL, oversell.

    .venv/bin/python bench/run.py checkout      # or: .venv/bin/python bench/checkout.py
    BENCH_CHECKOUT_SECONDS=5 .venv/bin/python bench/checkout.py      # a quick try

Targets: at least 50 orders a second from 16 concurrent clients for 30
seconds with p95 under 500 ms and no error, while one Celery worker relays
the orders' events on the same machine; placing a one-line order costs at
most 30 SQL statements; with scarce stock, nothing oversold.

The shop is deployed as in production on a scratch PostgreSQL database
(BENCH_DATABASE_URL's name + "_checkout", created and dropped here):
``commerce.wsgi`` under gunicorn, 2 sync workers, DEBUG off, the Redis cache
and broker of BENCH_REDIS_URL (cache keys under a prefix of this run, broker
keys that were not there before: both deleted at the end), and one Celery
worker on every queue with the concurrency docs/operations.md recommends
(4), beat inside it. A worker, not this process, relays every event.

Before the clock starts: 50 products with two sizes put on sale through the
shop owner's ways in (``catalog.api``, ``import_prices``, ``import_stock``)
with ample stock, and one SKU with only 20 units; customers with an API
token each (the token sign-in issues, made here: signing in is throttled to
ten a minute per address), 8 per client, because the API lets one customer
make 240 requests a minute and a surge is many shoppers, not a few; the
catalogue's events delivered; one order per client as a warm-up.

Each client is a thread doing what the app does (examples/mobile_client.py,
the documented journey, only HTTP): open the customer's cart, add one unit
of a random SKU, review the checkout (which holds the stock and answers the
total), place it with an Idempotency-Key and that total. An order's latency
is the four calls together; any answer that is not 2xx, or no answer, is an
error. Clients start no new order after BENCH_CHECKOUT_SECONDS (default 30)
and orders per second is orders placed over the time until the last ended.

Then the clients all buy the scarce SKU until each is refused once: a
refusal must be a 400 or 409 problem naming the SKU (never a 5xx), and the
orders' lines, inventory's allocations and the answers the clients got must
all stay within the 20 units.

The SQL statements of each call of one one-line order are counted in this
process (Django's test client, the same settings and token, every database),
warm (after one order) and with every cache off, as
orders/tests/test_placement.py counts them.

Prints the tables and writes them to bench/results/checkout-<UTC time>.md;
exits 1 when a target is missed. The machine's load average is printed
with the numbers, which mean only as much as the machine is quiet.
"""

from __future__ import annotations

import io
import os
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scratch, servers, shapes
from bench.checkout_report import (
    ERROR,
    PLACED,
    REFUSED,
    Attempt,
    Phase,
    RelayState,
    ScarceStock,
    call_table,
    counted,
    percentiles,
    phase_table,
    verdict_table,
)
from examples import mobile_client

SECONDS = float(os.environ.get("BENCH_CHECKOUT_SECONDS", "30"))
CLIENTS = int(os.environ.get("BENCH_CHECKOUT_CLIENTS", "16"))
#: One customer may make API_THROTTLE_USER (240) requests a minute, 60 orders of 4 calls:
#: 8 a client keep each far below that even at twice the target's orders a second.
CUSTOMERS_PER_CLIENT = 8
PRODUCTS = 50
SIZES = ("S", "M")
AMPLE_STOCK = 100_000
SCARCE_STOCK = 20
#: The scarce phase ends when every client was refused, or after this long.
SCARCE_SECONDS = 30
#: The one-machine worker of docs/operations.md: every queue, --concurrency=4.
WORKER_CONCURRENCY = 4
#: How long the relay may take to catch up after the load before the bench gives up waiting.
DRAIN_SECONDS = 60
TARGET_ORDERS_PER_SECOND = 50
TARGET_P95_MS = 500
TARGET_PLACING_QUERIES = 30
CALLS = ("open cart", "add line", "review", "place")
RESULTS = scratch.ROOT / "bench" / "results"


def main() -> int:
    scratch.isolate_environment()
    started = time.monotonic()
    with scratch.workspace("checkout", database_suffix="checkout") as space:
        work, redis_url = space.directory, space.redis_url
        (work / "static").mkdir()  # the API serves no static file: nothing to collect
        os.environ.update(
            DJANGO_SETTINGS_MODULE="commerce.settings",
            DEBUG="0",
            SECRET_KEY="bench-checkout-not-secret",
            DATABASE_URL=space.database_url,
            CACHE_URL=redis_url,
            CACHE_KEY_PREFIX=space.key_prefix,
            CELERY_BROKER_URL=redis_url,
            STATIC_ROOT=str(work / "static"),
            MEDIA_ROOT=str(work / "media"),
            LOG_LEVEL="WARNING",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        skus, scarce = load_catalogue(work)
        tokens = customer_tokens(CLIENTS * CUSTOMERS_PER_CLIENT + 1)
        queries = count_queries(tokens.pop(), skus[0])
        pools = [tokens[n::CLIENTS] for n in range(CLIENTS)]
        print(f"ready to start in {time.monotonic() - started:.0f} s", flush=True)
        with (
            servers.serve("commerce.wsgi", {}, work / "shop.log", ready_path="/readyz") as shop,
            servers.celery_worker(
                concurrency=WORKER_CONCURRENCY,
                log=work / "worker.log",
                beat_schedule=work / "celerybeat-schedule",
            ),
        ):
            if wait_until_relayed(DRAIN_SECONDS) is None:
                sys.exit("the worker did not deliver the catalogue's events")
            warm_up = drive("warm-up", shop.url, pools, skus, seconds=DRAIN_SECONDS, most=1)
            before, load_before = relay_state(), os.getloadavg()
            ample = drive("ample stock", shop.url, pools, skus, seconds=SECONDS)
            after, load_after = relay_state(), os.getloadavg()
            print(f"ample stock: {ample.orders_per_second:.1f} orders/s", flush=True)
            scarce_phase = drive(
                f"scarce stock ({scarce})",
                shop.url,
                pools,
                [scarce],
                seconds=SCARCE_SECONDS,
                sold_out=scarce,
            )
            drained = wait_until_relayed(DRAIN_SECONDS)
            final = relay_state()
        stock = scarce_stock(scarce, scarce_phase)
    judged = verdicts(warm_up, ample, scarce_phase, stock, queries)
    text = write_report(
        judged=judged,
        phases=(warm_up, ample, scarce_phase),
        stock=stock,
        queries=queries,
        relay=(before, after, final, drained),
        load=(load_before, load_after),
        minutes=(time.monotonic() - started) / 60,
    )
    print(text)
    return 0 if all(met for _, _, met in judged) else 1


# --- Before the clock ---------------------------------------------------------------


def load_catalogue(work: Path) -> tuple[list[str], str]:
    """Products through ``catalog.api``, prices and stock through their CSV imports.

    Returns the SKUs with ample stock and the one with ``SCARCE_STOCK`` units.
    """
    from django.core.management import call_command

    from catalog import api as catalog_api
    from inventory import api as inventory_api

    shapes.create_sized_shape(SIZES)
    products = [
        shapes.sized_product(f"BC-{n:03d}", f"Checkout bench product {n}", SIZES)
        for n in range(PRODUCTS)
    ]
    products.append(shapes.sized_product("BC-LAST", "Checkout bench last few", SIZES[:1]))
    upserted = catalog_api.upsert_products(products=products)
    if upserted.errors:
        sys.exit(f"the catalogue was refused: {upserted.errors[:3]}")
    skus = [f"BC-{n:03d}-{size}" for n in range(PRODUCTS) for size in SIZES]
    scarce = f"BC-LAST-{SIZES[0]}"
    prices = work / "prices.csv"
    prices.write_text(
        "sku,currency,price\n"
        + "".join(f"{sku},EUR,{10 + n % 40}.90\n" for n, sku in enumerate([*skus, scarce]))
    )
    call_command("import_prices", str(prices), "--no-progress", stdout=io.StringIO())
    inventory_api.upsert_warehouse(code="MAIN", name="Main", country="DE", priority=1)
    stock = work / "stock.csv"
    stock.write_text(
        "warehouse,sku,quantity\n"
        + "".join(f"MAIN,{sku},{AMPLE_STOCK}\n" for sku in skus)
        + f"MAIN,{scarce},{SCARCE_STOCK}\n"
    )
    call_command("import_stock", str(stock), stdout=io.StringIO())
    return skus, scarce


def customer_tokens(count: int) -> list[str]:
    """Customer accounts, and an API token of each as ``auth/sign-in/`` issues it.

    Made here rather than signed in over HTTP: sign-in is throttled to ten a
    minute per address and hashes with Argon2 on purpose, and neither is what
    this bench measures. The passwords are never used, so they are hashed
    cheaply.
    """
    from django.test import override_settings
    from knox.models import get_token_model
    from knox.settings import knox_settings

    from accounts import services

    tokens = []
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        for n in range(count):
            user = services.customer_create(
                email=f"shopper-{n}@bench.example",
                password="bench-never-signs-in",
                first_name="Bench",
                last_name=f"Shopper {n}",
            )
            _, token = get_token_model().objects.create(
                user=user, expiry=knox_settings.TOKEN_TTL, prefix=knox_settings.TOKEN_PREFIX
            )
            tokens.append(token)
    return tokens


def count_queries(token: str, sku: str) -> dict[str, tuple[int, ...]]:
    """SQL statements of each call of one one-line order in this process, warm and cold.

    The app's four calls through Django's test client with the customer's
    token, on every database (``kernel.tests.queries``); "warm" after one
    order has filled the caches, "cold" with every cache off, each counted
    on the second order as orders/tests/test_placement.py does.
    """
    from django.test import Client, override_settings

    from kernel.tests.queries import captured_queries

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")
    details = mobile_client.checkout_details()

    def one_order() -> tuple[int, ...]:
        counts = []

        def call(path: str, body: dict, **headers: str) -> dict:
            with captured_queries() as captured:
                response = client.post(
                    f"/api/v1{path}", body, content_type="application/json", **headers
                )
            if response.status_code not in (200, 201):
                sys.exit(f"POST {path} answered {response.status_code} in process: "
                         f"{response.content[:500]!r}")  # fmt: skip
            counts.append(len(captured))
            return response.json()

        cart = call("/cart/", {})["token"]
        call(f"/cart/{cart}/lines/", {"sku": sku, "quantity": 1})
        total = call(f"/cart/{cart}/checkout/", details)["grand_total"]["amount"]
        call("/orders/", {"cart": cart, **details, "expected_total": total},
             HTTP_IDEMPOTENCY_KEY=mobile_client.new_key())  # fmt: skip
        return tuple(counts)

    one_order()
    warm = one_order()
    every_cache_off = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=every_cache_off):
        one_order()
        cold = one_order()
    return {"warm": warm, "cold": cold}


# --- The clients --------------------------------------------------------------------


def drive(
    name: str,
    base_url: str,
    pools: list[list[str]],
    skus: Sequence[str],
    *,
    seconds: float,
    most: int | None = None,
    sold_out: str | None = None,
) -> Phase:
    """One client thread per pool of customers' tokens placing one-line orders back to back.

    A client starts no order after ``seconds``, nor more than ``most``; with
    ``sold_out`` it stops at its first refusal. A customer whose order failed
    leaves the rotation: its cart may still hold the line.
    """
    deadline = time.monotonic() + seconds
    stop = threading.Event()
    attempts: list[list[Attempt]] = [[] for _ in pools]

    def client(index: int) -> None:
        pool, rng = pools[index], random.Random(index)
        while pool and not stop.is_set() and time.monotonic() < deadline:
            if most is not None and len(attempts[index]) >= most:
                return
            token = pool[len(attempts[index]) % len(pool)]
            attempt = place_one(base_url, token, rng.choice(skus), sold_out)
            attempts[index].append(attempt)
            if attempt.outcome == ERROR:
                pool.remove(token)
            elif attempt.outcome == REFUSED:
                return

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(len(pools))]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop.set()  # a SIGTERM lands here: no client starts another order
    elapsed = time.monotonic() - started
    return Phase(name, tuple(a for each in attempts for a in each), elapsed)


def place_one(base_url: str, token: str, sku: str, sold_out: str | None) -> Attempt:
    """The app's one-line order: open the cart, add ``sku``, review, place at that total.

    A 400 or 409 naming ``sold_out`` is a refusal; any other answer that is
    not 2xx, and any failure to get one, is an error.
    """
    api = mobile_client.Api(base_url, token=token)
    details = mobile_client.checkout_details()
    seconds: list[float] = []

    def timed(call: Callable[..., Any], *args: object) -> Any:
        started = time.perf_counter()
        try:
            return call(api, *args)
        finally:
            seconds.append(time.perf_counter() - started)

    try:
        cart = timed(mobile_client.open_cart)["token"]
        timed(mobile_client.add_to_cart, cart, sku)
        total = timed(mobile_client.review, cart, details)["grand_total"]["amount"]
        timed(mobile_client.place_order, cart, details, total)
    except mobile_client.ApiError as answer:
        code = answer.body.get("code", "") if isinstance(answer.body, dict) else ""
        detail = f"{CALLS[len(seconds) - 1]}: {answer.status} {code}".rstrip()
        refused = sold_out is not None and answer.status in (400, 409) and sold_out in str(answer)
        return Attempt(tuple(seconds), REFUSED if refused else ERROR, detail)
    except Exception as failure:  # noqa: BLE001 - no answer (a timeout, a reset) is an error
        return Attempt(tuple(seconds), ERROR, f"{CALLS[len(seconds) - 1]}: {failure!r}"[:200])
    return Attempt(tuple(seconds), PLACED)


# --- Reading the outcome ------------------------------------------------------------


def relay_state() -> RelayState:
    from kernel import outbox_status
    from kernel.models import Delivery, OutboxEvent

    snapshot = outbox_status.snapshot()
    return RelayState(
        events=OutboxEvent.objects.count(),
        delivered=Delivery.objects.filter(status=Delivery.Status.DELIVERED).count(),
        waiting=snapshot.unrelayed + sum(snapshot.pending.values()),
        dead=sum(snapshot.dead.values()),
        lag_seconds=snapshot.oldest_pending_age_seconds,
    )


def wait_until_relayed(seconds: float) -> float | None:
    """Seconds until no event waits for the worker; None if some still wait after ``seconds``."""
    started = time.monotonic()
    while relay_state().waiting:
        if time.monotonic() - started > seconds:
            return None
        time.sleep(0.5)
    return time.monotonic() - started


def scarce_stock(sku: str, phase: Phase) -> ScarceStock:
    """What orders, inventory and the clients' answers say was sold of ``sku``."""
    from django.db.models import Sum

    from inventory import api as inventory_api
    from orders.models import OrderLine

    levels = inventory_api.stock_levels(skus=[sku])
    ordered = OrderLine.objects.filter(sku=sku).aggregate(units=Sum("quantity"))["units"]
    return ScarceStock(
        stock=SCARCE_STOCK,
        answered=len(phase.of(PLACED)),
        ordered=ordered or 0,
        allocated=sum(level.allocated for level in levels),
        on_hand=sum(level.on_hand for level in levels),
    )


# --- The report ---------------------------------------------------------------------


def verdicts(
    warm_up: Phase, ample: Phase, scarce: Phase, stock: ScarceStock, queries: dict
) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each target of the issue."""
    errors = sum(len(phase.of(ERROR)) for phase in (warm_up, ample, scarce))
    p95 = percentiles([attempt.milliseconds for attempt in ample.of(PLACED)])[1]
    placing = queries["warm"][CALLS.index("place")]
    return [
        (f"orders a second ≥ {TARGET_ORDERS_PER_SECOND}", f"{ample.orders_per_second:.1f}",
         ample.orders_per_second >= TARGET_ORDERS_PER_SECOND),
        (f"p95 of an order < {TARGET_P95_MS} ms", f"{p95:.0f} ms",
         bool(ample.of(PLACED)) and p95 < TARGET_P95_MS),
        ("errors: 0 (warm-up, ample, scarce)", str(errors), errors == 0),
        (f"SQL to place a one-line order ≤ {TARGET_PLACING_QUERIES} (warm)", str(placing),
         placing <= TARGET_PLACING_QUERIES),
        ("oversold: 0", f"{stock.oversold} ({stock.ordered} of {stock.stock} units ordered)",
         stock.oversold == 0),
    ]  # fmt: skip


def relay_sentence(
    before: RelayState, after: RelayState, final: RelayState, drained: float | None
) -> str:
    """What the worker relayed while the clients ran, and how soon it caught up."""
    caught_up = (
        f"nothing waiting {drained:.0f} s after the scarce run"
        if drained is not None
        else f"{final.waiting} still waiting {DRAIN_SECONDS} s after the scarce run"
    )
    return (
        f"Relay: {after.events - before.events} events published during the ample-stock run, "
        f"{after.delivered - before.delivered} deliveries made by the worker meanwhile, "
        f"{after.waiting} waiting when it ended (the oldest for {after.lag_seconds:.0f} s); "
        f"{caught_up}; {final.dead} dead deliveries."
    )


def write_report(
    *,
    judged: list[tuple[str, str, bool]],
    phases: tuple[Phase, Phase, Phase],
    stock: ScarceStock,
    queries: dict[str, tuple[int, ...]],
    relay: tuple[RelayState, RelayState, RelayState, float | None],
    load: tuple[tuple[float, ...], tuple[float, ...]],
    minutes: float,
) -> str:
    """The tables and sentences of the run, printed and kept in bench/results/."""
    now = datetime.now(UTC)
    _, ample, scarce = phases
    failures = Counter(attempt.detail for phase in phases for attempt in phase.of(ERROR))
    refusals = Counter(attempt.detail for attempt in scarce.of(REFUSED))
    loads = " / ".join(" ".join(f"{value:.1f}" for value in each) for each in load)
    text = "\n\n".join(
        [
            f"# Checkout benchmark, {now:%Y-%m-%d %H:%M} UTC",
            f"{CLIENTS} clients over the REST API ({CUSTOMERS_PER_CLIENT} customers each), "
            f"{SECONDS:.0f} s of one-line orders on {PRODUCTS * len(SIZES)} SKUs with ample "
            f"stock, then one SKU of {SCARCE_STOCK} units; gunicorn, 2 sync workers, DEBUG "
            f"off, Redis cache and broker; one Celery worker (--concurrency="
            f"{WORKER_CONCURRENCY}, beat inside) relaying; {os.cpu_count()} CPUs, load "
            f"average (1, 5, 15 min) {loads} at the start / end of the ample-stock run; the "
            f"whole bench took {minutes:.1f} min.",
            verdict_table(judged),
            phase_table(phases),
            "Each call of the orders placed with ample stock (latency under load), and its "
            "SQL statements in process (one order, every database, SAVEPOINTs included):",
            call_table(ample, queries, CALLS),
            f"Scarce SKU: {stock.stock} units on sale; the clients were answered "
            f"{stock.answered} orders; orders' lines hold {stock.ordered} units; inventory "
            f"allocated {stock.allocated} of {stock.on_hand} on hand. Refusals: "
            f"{counted(refusals)}.",
            relay_sentence(*relay),
            f"Errors: {counted(failures)}.",
        ]
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"checkout-{now:%Y%m%dT%H%M}.md").write_text(text + "\n")
    return text


if __name__ == "__main__":
    sys.exit(main())
