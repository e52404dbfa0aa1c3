"""Import base, compare-at and price-list prices from CSV or JSON Lines (as the admin page)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kernel.display import count_display
from pricing import price_import


def guess_format(path: Path) -> str:
    return "jsonl" if path.suffix.lower() in {".jsonl", ".ndjson"} else "csv"


class Command(BaseCommand):
    help = (
        "Import prices from a CSV or JSON Lines file with sku, currency, price and optionally "
        "compare_at and price_list. Every bad row is listed; nothing changes unless the whole "
        "file is good (or --skip-invalid)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file (UTF-8): .csv, or .jsonl.")
        parser.add_argument("--format", choices=["csv", "jsonl"], help="Default: by extension.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; write nothing."
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Apply the good rows, list the bad ones."
        )
        parser.add_argument("--changed-by", default="import_prices", help="Kept in the history.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, path: Path, dry_run: bool, skip_invalid: bool, **options):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        parsed = price_import.parse(raw, fmt=options["format"] or guess_format(path))
        for error in parsed.errors:
            self.stderr.write(str(error))
        if not parsed.ok and not skip_invalid:
            raise CommandError(
                f"{count_display(len(parsed.errors), 'problem')}; nothing was imported."
            )
        result = price_import.apply(
            price_import.valid_rows(parsed),
            dry_run=dry_run,
            changed_by=options["changed_by"],
            progress=None if options["no_progress"] or dry_run else self._progress,
        )
        prefix = "Dry run, nothing written: " if dry_run else "Imported "
        self.stdout.write(self.style.SUCCESS(f"{prefix}{result}"))

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        end = "\n" if done >= total else ""
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} writes", ending=end
        )
        self.stderr.flush()
