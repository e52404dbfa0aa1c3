"""Benchmark: import 180,000 prices into PostgreSQL (target < 2 minutes).

    make bench        # or: DATABASE_URL=postgres://... .venv/bin/python bench/import_prices.py

Runs in a scratch database of its own, named by PRICES_BENCH_DATABASE
(default ``commerce_prices_bench``) on DATABASE_URL's server, created and
dropped here, so it never touches real data. The catalog holds 10,000
products with three variants (30,000 SKUs, made through catalog.api); the
file prices each SKU in six currencies, a third of them with a compare-at
price: 180,000 rows in the documented CSV format. The time measured is
``manage.py import_prices`` from reading the file to commit, including
180,000 history rows and 180,000 outbox events; a second, unchanged import
is timed too. The relay nudge goes to a Redis queue (database
PRICES_BENCH_REDIS_DB, default 13) that is emptied afterwards.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PRODUCTS = 10_000
SIZES = ("S", "M", "L")
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "JPY")
LIMIT_SECONDS = 120.0
BROKER = f"redis://127.0.0.1:6379/{os.environ.get('PRICES_BENCH_REDIS_DB', '13')}"


def scratch_database() -> tuple[str, str, str]:
    """(scratch URL, its name, the server's maintenance URL)."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/import_prices.py: DATABASE_URL must point at PostgreSQL")
    name = os.environ.get("PRICES_BENCH_DATABASE", "commerce_prices_bench")
    if "bench" not in name:
        sys.exit("bench/import_prices.py: PRICES_BENCH_DATABASE must contain 'bench'")
    scratch = urlunsplit(parts._replace(path=f"/{name}"))
    return scratch, name, urlunsplit(parts._replace(path="/postgres"))


def execute(server: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def write_csv(path: Path) -> int:
    rows = 0
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["sku", "currency", "price", "compare_at"])
        for i in range(PRODUCTS):
            for size in SIZES:
                for currency in CURRENCIES:
                    price = 1000 + i % 5000 if currency == "JPY" else f"{10 + i % 90}.{i % 100:02d}"
                    compare_at = ""
                    if i % 3 == 0:
                        compare_at = 2000 + i % 5000 if currency == "JPY" else f"{120 + i % 90}.00"
                    writer.writerow([f"BP-{i:05d}-{size}", currency, price, compare_at])
                    rows += 1
    return rows


def build_catalog() -> None:
    from bench import shapes
    from catalog import api

    shapes.create_sized_shape(SIZES)
    for start in range(0, PRODUCTS, 1000):
        products = [
            shapes.sized_product(f"BP-{i:05d}", f"Bench product {i}", SIZES)
            for i in range(start, start + 1000)
        ]
        report = api.upsert_products(products=products)
        assert not report.errors, report.errors[:3]


def main() -> None:
    url, name, server = scratch_database()
    execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    os.environ.update(
        DATABASE_URL=url, CELERY_BROKER_URL=BROKER, DJANGO_SETTINGS_MODULE="commerce.settings"
    )
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        build_catalog()
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "prices.csv"
            rows = write_csv(path)
            started = time.perf_counter()
            call_command("import_prices", str(path), "--no-progress")
            first = time.perf_counter() - started
            started = time.perf_counter()
            call_command("import_prices", str(path), "--no-progress")
            again = time.perf_counter() - started
    finally:
        from django.db import connections

        connections.close_all()
        execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _empty_broker_queue()
    print(
        f"import_prices: {rows:,} prices in {first:.1f} s (limit {LIMIT_SECONDS:.0f} s); "
        f"unchanged re-import in {again:.1f} s"
    )
    if first > LIMIT_SECONDS:
        sys.exit(1)


def _empty_broker_queue() -> None:
    """Drop the relay nudges queued during the run (no worker listens on that database)."""
    import redis

    redis.Redis.from_url(BROKER).flushdb()


if __name__ == "__main__":
    main()
