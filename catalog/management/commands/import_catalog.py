"""Import products and variants from CSV or JSON Lines (format: catalog/exchange.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog import exchange, services

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
        parsed = self._read(file, kind).without_bad_rows()
        progress = Progress(sys.stderr, enabled=not no_progress and sys.stderr.isatty())
        report = services.products_upsert(
            inputs=parsed.inputs,
            dry_run=dry_run or (bool(parsed.errors) and not skip_invalid),
            skip_invalid=skip_invalid,
            progress=progress,
        )
        errors = sorted(
            [*parsed.errors, *(parsed.locate(error) for error in report.errors)],
            key=lambda error: (error.row, error.column),
        )
        for error in errors:
            self.stderr.write(str(error))
        verb = "would be" if not report.written else "were"
        self.stdout.write(
            f"{report.created} products {verb} created, {report.updated} updated, "
            f"{report.unchanged} unchanged; {len(errors)} problems."
        )
        if errors and not skip_invalid:
            raise CommandError("Nothing was written: fix the rows above or use --skip-invalid.")
        if report.written:
            if report.created + report.updated >= ANALYZE_AFTER:
                services.statistics_refresh()
            self.stdout.write(self.style.SUCCESS("Import done."))

    def _read(self, file: str, kind: str) -> exchange.Parsed:
        reader = exchange.read_jsonl if kind == "jsonl" else exchange.read_csv
        if file == "-":
            return reader(sys.stdin)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            with path.open(newline="", encoding="utf-8-sig") as lines:
                return reader(lines)
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
