"""Import products and variants from CSV or JSON Lines (format: catalog/exchange.py)."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog import exchange, services
from kernel.display import count_display

#: Imports changing at least this many products refresh the planner's statistics.
ANALYZE_AFTER = 1000


class Progress:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, stream, enabled: bool) -> None:
        self.stream, self.enabled, self.drawn_at = stream, enabled, 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (done < total and now - self.drawn_at < 0.1):
            return
        self.drawn_at = now
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{stage:<10} [{bar}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Create or update products and variants by SKU from a CSV or JSON Lines file. "
        "Nothing is written if any row is invalid, unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv, .jsonl or .ndjson file; '-' reads CSV from stdin")
        parser.add_argument("--format", choices=["csv", "jsonl"], help="default: from the name")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="write the valid products anyway"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file: str, format: str | None, dry_run: bool, skip_invalid: bool,
               no_progress: bool, **options):  # fmt: skip
        kind = format or ("jsonl" if file.endswith((".jsonl", ".ndjson")) else "csv")
        products = exchange.jsonl_products if kind == "jsonl" else exchange.csv_products
        progress = Progress(sys.stderr, enabled=not no_progress and sys.stderr.isatty())
        with self._file(file) as path:

            def read() -> Iterator[exchange.Parsed]:
                with path.open(newline="", encoding="utf-8-sig") as lines:
                    yield from exchange.batches(products(lines), services.IMPORT_BATCH)

            try:
                report = services.products_import(
                    read=read, dry_run=dry_run, skip_invalid=skip_invalid, progress=progress
                )
            except UnicodeDecodeError as exc:
                raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        errors = sorted(report.errors, key=lambda error: (error.row, error.column))
        for error in errors:
            self.stderr.write(str(error))
        verb = "would be" if not report.written else "was" if report.created == 1 else "were"
        self.stdout.write(
            f"{count_display(report.created, 'product')} {verb} created, "
            f"{report.updated} updated, {report.unchanged} unchanged; "
            f"{count_display(len(errors), 'problem')}."
        )
        if errors and not skip_invalid and not report.written:
            raise CommandError("Nothing was written: fix the rows above or use --skip-invalid.")
        if report.written:
            if report.created + report.updated >= ANALYZE_AFTER:
                services.statistics_refresh()
            self.stdout.write(self.style.SUCCESS("Import done."))

    @staticmethod
    @contextmanager
    def _file(file: str) -> Iterator[Path]:
        """The file to read (twice); standard input is kept in a temporary file first."""
        if file != "-":
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"No such file: {file}")
            yield path
            return
        with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8") as copy:
            shutil.copyfileobj(sys.stdin, copy)
            copy.flush()
            yield Path(copy.name)
