"""Benchmark: import 10,000 products with 3 variants each into PostgreSQL (target < 60 s).

    make bench        # or: .venv/bin/python bench/import_catalog.py
    make bench-scale  # 100,000 products (BENCH_IMPORT_PRODUCTS), target < 300 s

The import runs as its own process (``manage.py import_catalog``), whose
peak resident memory is reported against its target (under 300 MB: the
import holds one batch of products at a time, whatever the file's size).

Runs in its own scratch database (BENCH_DATABASE_URL's name + "_catalog",
by default ``commerce_bench_catalog``), created and dropped here, so it
never touches real data. The file is a CSV
in the documented import format: each product with a category, a brand,
three typed attributes and three variants (sizes). The time measured is
``manage.py import_catalog``'s process, from its start to the last
batch's commit, including the outbox rows of 20,000 events. Delivering those events is a worker's
job (the relay) and not part of the import: the relay nudge goes to a
queue in BENCH_REDIS_URL's database, whose new keys are deleted afterwards.
"""

from __future__ import annotations

import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import scratch

PRODUCTS = int(os.environ.get("BENCH_IMPORT_PRODUCTS", "10000"))
SIZES = ("S", "M", "L")
#: Seconds: 60 for 10,000 products; the issue's 300 for 100,000 (3 ms a product).
LIMIT_SECONDS = max(60.0, PRODUCTS * 0.003)
LIMIT_MEMORY_MB = 300


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
        (first, memory), (again, _) = run()
    print(
        f"import_catalog: {PRODUCTS} products x {len(SIZES)} variants in {first:.1f} s "
        f"(limit {LIMIT_SECONDS:.0f} s), peak {memory:.0f} MB (limit {LIMIT_MEMORY_MB} MB); "
        f"unchanged re-import in {again:.1f} s"
    )
    if first > LIMIT_SECONDS or memory > LIMIT_MEMORY_MB:
        sys.exit(1)


def imported(path: Path) -> tuple[float, float]:
    """Seconds and peak resident MB of ``manage.py import_catalog path`` in a process of its own."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(scratch.ROOT / "manage.py"), "import_catalog", str(path),
         "--no-progress"],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run() -> tuple[tuple[float, float], tuple[float, float]]:
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
        return imported(path), imported(path)


if __name__ == "__main__":
    main()
