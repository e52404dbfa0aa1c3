"""Benchmark: import 10,000 products with 3 variants each into PostgreSQL (target < 60 s).

    make bench        # or: .venv/bin/python bench/import_catalog.py

Runs in its own scratch database (BENCH_DATABASE_URL's name + "_catalog",
by default ``commerce_bench_catalog``), created and dropped here, so it
never touches real data. The file is a CSV
in the documented import format: each product with a category, a brand,
three typed attributes and three variants (sizes). The time measured is
``manage.py import_catalog`` from reading the file to commit, including
the outbox rows of 20,000 events. Delivering those events is a worker's
job (the relay) and not part of the import: the relay nudge goes to a
queue in BENCH_REDIS_URL's database, whose new keys are deleted afterwards.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scratch

PRODUCTS = 10_000
SIZES = ("S", "M", "L")
LIMIT_SECONDS = 60.0


def write_csv(path: Path) -> None:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["product_sku", "title", "slug", "description", "status", "category",
             "secondary_categories", "brand", "product_type", "attributes",
             "variant_sku", "variant_name", "variant_options"]
        )  # fmt: skip
        for i in range(PRODUCTS):
            sku = f"BN-{i:05d}"
            attributes = (
                f"material={('Wool', 'Cotton')[i % 2]}|weight={500 + i % 300}|waterproof=yes"
            )
            head = [
                sku, f"Bench Jacket {i}", "", f"Jacket number {i}, waterproof and warm.",
                "published", f"dept-{i % 10}-sub-{i % 3}", "dept-gifts" if i % 5 == 0 else "",
                f"Brand {i % 40}", "jacket", attributes,
            ]  # fmt: skip
            for size in SIZES:
                writer.writerow([*head, f"{sku}-{size}", "", f"size={size}"])


def main() -> None:
    scratch.isolate_environment()
    broker = scratch.redis_url()
    with (
        scratch.scratch_database(scratch.database_url("catalog")) as url,
        scratch.new_broker_keys_removed(broker),
    ):
        os.environ.update(DATABASE_URL=url, CELERY_BROKER_URL=broker)
        first, again = run()
    print(
        f"import_catalog: {PRODUCTS} products x {len(SIZES)} variants in {first:.1f} s "
        f"(limit {LIMIT_SECONDS:.0f} s); unchanged re-import in {again:.1f} s"
    )
    if first > LIMIT_SECONDS:
        sys.exit(1)


def run() -> tuple[float, float]:
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    import django

    django.setup()
    from django.core.management import call_command

    from catalog import api
    from catalog.dtos import AttributeSpec

    call_command("migrate", verbosity=0)
    for dept in range(10):
        api.upsert_category(slug=f"dept-{dept}", name=f"Department {dept}")
        for sub in range(3):
            api.upsert_category(
                slug=f"dept-{dept}-sub-{sub}", name=f"Aisle {sub}", parent_slug=f"dept-{dept}"
            )
    api.upsert_category(slug="dept-gifts", name="Gifts")
    api.upsert_product_type(
        slug="jacket",
        name="Jacket",
        attributes=[
            AttributeSpec(
                code="material", name="Material", kind="choice", choices=("Wool", "Cotton")
            ),
            AttributeSpec(code="weight", name="Weight (g)", kind="number"),
            AttributeSpec(code="waterproof", name="Waterproof", kind="boolean"),
            AttributeSpec(
                code="size",
                name="Size",
                kind="choice",
                is_variant_option=True,
                choices=tuple(SIZES),
            ),
        ],
    )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.csv"
        write_csv(path)
        started = time.perf_counter()
        call_command("import_catalog", str(path), "--no-progress")
        first = time.perf_counter() - started
        started = time.perf_counter()
        call_command("import_catalog", str(path), "--no-progress")
        again = time.perf_counter() - started
    return first, again


if __name__ == "__main__":
    main()
