"""Benchmark: the shop's pages under load, side by side with a bare Django floor.

    make bench     # or: .venv/bin/python bench/surge.py   (needs wrk)

Builds a scratch PostgreSQL database (BENCH_DATABASE_URL, default
``commerce_bench``; created and dropped here) holding 2,000 products with
two variants each, put in the way a shop owner would: ``import_catalog``
from a JSON Lines file, prices with ``import_prices`` from a CSV, stock
with ``import_stock`` from a CSV. Their events stay in the outbox: the
relay nudges go to a broker queue at BENCH_REDIS_URL that no worker reads
(its keys are deleted at the end), because delivering some 26,000
deliveries (projections, recommendation profiles) one transaction each
takes longer than the whole benchmark may. Pages read prices and stock
from pricing and inventory themselves; what the undelivered events leave
empty is the catalog's price/stock projection (price and stock facets)
and the recommendation profiles (the product page's rows), so those parts
cost a little less than in a live shop.

Then it serves the shop (``commerce.wsgi``) and the floor app
(bench/floor/) with gunicorn, 2 sync workers each, DEBUG off, and drives
each with wrk (32 connections, BENCH_SECONDS each, default 10), taking
turns: floor, product page, floor, API product detail, ... so every
endpoint is compared with the floor measured just before it, on a machine
that is as busy (or idle) as it was for the endpoint. HTML endpoints are
compared with the floor's template view, the API with its JSON view.

Twice: every cache off (``CACHE_URL=dummycache://``) and with the
production cache (Redis at BENCH_REDIS_URL, keys under a prefix of this
run, deleted at the end) warmed by one request per endpoint. SQL per
request is counted for one request in this process (Django's test client,
same settings, after the same warm-up). Each worker's resident memory is
read after its server's runs.

Prints the table and writes it to bench/results/surge-<UTC time>.md.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, scratch, servers

PRODUCTS = 2_000
SIZES = ("M", "L")
CATEGORIES = 20  # 100 products each: a category page shows a full page of 24
CONNECTIONS = 32
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
RESULTS = scratch.ROOT / "bench" / "results"
SHOPPERS = Path(__file__).with_name("many_shoppers.lua")
PASSWORD = "bench-shopper-password-1"


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    path: str
    api: bool = False  # compared with the floor's JSON view
    signed_in: bool = False


ENDPOINTS = [
    Endpoint("product page", "/products/bench-jacket-7/"),
    Endpoint("API product detail", "/api/v1/products/BJ-0007/", api=True),
    Endpoint("category page", "/c/aisle-3/"),
    Endpoint("home page", "/"),
    Endpoint("search page", "/search/?q=jacket"),
    Endpoint("product page, signed in", "/products/bench-jacket-7/", signed_in=True),
]


def main() -> int:
    if not shutil.which("wrk"):
        sys.exit("bench/surge.py needs wrk (apt-get install wrk; `make bench` installs it)")
    scratch.isolate_environment()
    started = time.monotonic()
    with scratch.workspace("surge") as space:
        work, redis_url = space.directory, space.redis_url
        environment = {
            "DJANGO_SETTINGS_MODULE": "commerce.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-surge-not-secret",
            "DATABASE_URL": space.database_url,
            "CACHE_URL": "dummycache://",
            "CACHE_KEY_PREFIX": space.key_prefix,
            "CELERY_BROKER_URL": redis_url,
            "STATIC_ROOT": str(work / "static"),
            "MEDIA_ROOT": str(work / "media"),
            "LOG_LEVEL": "WARNING",
            # Behind a load balancer: each request's address is the X-Forwarded-For
            # wrk sets (many_shoppers.lua), so the API's per-address limits count
            # shoppers, as in a surge, and cost what they cost then.
            "TRUSTED_PROXY_COUNT": "1",
        }
        os.environ.update(environment)
        cookie = prepare(work)
        profile = profile_product_page()
        modes = {"cold": "dummycache://", "warm": redis_url}
        rows, memory = [], {}
        with servers.serve("bench.floor.wsgi", {**environment}, work / "floor.log") as floor:
            for mode, cache_url in modes.items():
                env = {**environment, "CACHE_URL": cache_url}
                single = measure_in_process(cache_url, cookie)
                with servers.serve("commerce.wsgi", env, work / f"shop-{mode}.log") as shop:
                    warm_up(shop.url, cookie)
                    for endpoint in ENDPOINTS:
                        floor_run = wrk(floor.url + ("json/" if endpoint.api else ""))
                        headers = ["-H", f"Cookie: {cookie}"] if endpoint.signed_in else []
                        run = wrk(shop.url.rstrip("/") + endpoint.path, headers)
                        queries, ms = single[endpoint.name]
                        rows.append(report.Row(endpoint.name, mode, run, floor_run, queries, ms))
                        print(report.table(rows[-1:]).splitlines()[-1], flush=True)
                    memory[f"shop ({mode})"] = shop.worker_rss()
            memory["floor"] = floor.worker_rss()
    minutes = (time.monotonic() - started) / 60
    text = write_report(rows, memory, minutes, profile)
    print(text)
    return 0


def prepare(work: Path) -> str:
    """Migrate, collect static files, load the catalogue; the shopper's session cookie."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    load_catalogue(work)
    print(f"catalogue loaded in {time.monotonic() - started:.0f} s", flush=True)
    return sign_in()


def load_catalogue(work: Path) -> None:
    """Products, prices and stock, each through its context's own way in."""
    import json

    from django.core.management import call_command

    from catalog import api as catalog_api
    from catalog.dtos import AttributeSpec
    from inventory import api as inventory_api

    for n in range(CATEGORIES):
        catalog_api.upsert_category(slug=f"aisle-{n}", name=f"Aisle {n}")
    catalog_api.upsert_product_type(
        slug="jacket",
        name="Jacket",
        attributes=[
            AttributeSpec(
                code="material", name="Material", kind="choice", choices=("Wool", "Cotton")
            ),
            AttributeSpec(
                code="size", name="Size", kind="choice", is_variant_option=True, choices=SIZES
            ),
        ],
    )
    catalogue = work / "catalogue.jsonl"
    with catalogue.open("w") as out:
        for n in range(PRODUCTS):
            sku = f"BJ-{n:04d}"
            product = {
                "sku": sku,
                "title": f"Bench jacket {n}",
                "slug": f"bench-jacket-{n}",
                "description": f"Jacket number {n}: waterproof, warm and made to last.",
                "status": "published",
                "category": f"aisle-{n % CATEGORIES}",
                "brand": f"Brand {n % 40}",
                "product_type": "jacket",
                "attributes": {"material": ("Wool", "Cotton")[n % 2]},
                "variants": [{"sku": f"{sku}-{size}", "options": {"size": size}} for size in SIZES],
            }
            out.write(json.dumps(product) + "\n")
    started = time.monotonic()
    call_command("import_catalog", str(catalogue), "--no-progress", stdout=io.StringIO())
    print(f"import_catalog: {time.monotonic() - started:.0f} s", flush=True)
    started = time.monotonic()
    skus = [f"BJ-{n:04d}-{size}" for n in range(PRODUCTS) for size in SIZES]
    prices = work / "prices.csv"
    prices.write_text(
        "sku,currency,price\n"
        + "".join(f"{sku},EUR,{20 + index % 180}.90\n" for index, sku in enumerate(skus))
    )
    call_command("import_prices", str(prices), "--no-progress", stdout=io.StringIO())
    print(f"import_prices: {time.monotonic() - started:.0f} s", flush=True)
    started = time.monotonic()
    inventory_api.upsert_warehouse(code="MAIN", name="Main", country="DE", priority=1)
    stock = work / "stock.csv"
    stock.write_text(
        "warehouse,sku,quantity\n"
        + "".join(f"MAIN,{sku},{index % 40}\n" for index, sku in enumerate(skus))
    )
    call_command("import_stock", str(stock), stdout=io.StringIO())
    print(f"import_stock: {time.monotonic() - started:.0f} s", flush=True)


def sign_in() -> str:
    """A shopper account, signed in through the storefront's form: its ``Cookie`` header."""
    from django.test import Client
    from django.urls import reverse

    from accounts import services

    services.customer_create(
        email="shopper@bench.example", password=PASSWORD, first_name="Bench", last_name="Shopper"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(
        reverse("accounts:login"), {"username": "shopper@bench.example", "password": PASSWORD}
    )
    if response.status_code != 302:
        sys.exit(f"the bench shopper could not sign in ({response.status_code})")
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def measure_in_process(cache_url: str, cookie: str) -> dict[str, tuple[int, float]]:
    """SQL statements and milliseconds of one request per endpoint, after one warm-up request,
    with the cookies wrk sends (none, or the signed-in shopper's)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from commerce.config import env

    cache = {**env.cache_url_config(cache_url), "KEY_PREFIX": os.environ["CACHE_KEY_PREFIX"]}
    counts = {}
    with override_settings(CACHES={"default": cache}):
        for endpoint in ENDPOINTS:
            client = Client(HTTP_HOST="127.0.0.1")
            if endpoint.signed_in:
                client.cookies.load(cookie)
            client.get(endpoint.path)
            if not endpoint.signed_in:
                client.cookies.clear()  # as wrk asks: a new visitor every time
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(endpoint.path)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                sys.exit(f"{endpoint.path} answered {response.status_code} in process")
            counts[endpoint.name] = (len(captured), elapsed)
    return counts


def profile_product_page() -> str:
    """Where one cold product page's time goes: cProfile's top functions, cumulative."""
    import cProfile
    import pstats

    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ):
        client.get(ENDPOINTS[0].path)
        profiler = cProfile.Profile()
        profiler.runcall(client.get, ENDPOINTS[0].path)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    return out.getvalue()


def warm_up(base: str, cookie: str) -> None:
    """One request per endpoint (fills a warm cache); each must answer 200."""
    for endpoint in ENDPOINTS:
        headers = {"Cookie": cookie} if endpoint.signed_in else {}
        request = urllib.request.Request(base.rstrip("/") + endpoint.path, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200:
                sys.exit(f"{endpoint.path} answered {response.status}")


def wrk(url: str, extra: list[str] = ()) -> report.WrkResult:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "--timeout", "10s"]
    command += ["--script", str(SHOPPERS)]  # the floor's runs too: the same work for wrk
    done = subprocess.run(
        [*command, *extra, url], capture_output=True, text=True, timeout=SECONDS + 30, check=True
    )
    return report.parse_wrk(done.stdout)


def write_report(
    rows: list[report.Row], memory: dict[str, list[int]], minutes: float, profile: str
) -> str:
    now = datetime.now(UTC)
    text = "\n\n".join(
        [
            f"# Surge benchmark, {now:%Y-%m-%d %H:%M} UTC",
            f"{PRODUCTS} products x {len(SIZES)} variants on PostgreSQL; gunicorn, 2 sync "
            f"workers, DEBUG off; wrk, {CONNECTIONS} connections, {SECONDS} s per run; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end; "
            f"the whole run took {minutes:.1f} min.",
            report.table(rows),
            "Worker memory after the runs (target under 150 MiB):",
            report.memory_table(memory),
        ]
    )
    details = (
        f"One cold product page in process, cProfile (top 30, cumulative):\n\n```\n{profile}```"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"surge-{now:%Y%m%dT%H%M}.md").write_text(f"{text}\n\n{details}\n")
    return text


if __name__ == "__main__":
    sys.exit(main())
