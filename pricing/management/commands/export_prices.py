"""Export every base and price-list price, in the format import_prices reads back unchanged."""

from pathlib import Path

from django.core.management.base import BaseCommand

from kernel.command_files import written
from pricing import price_import
from pricing.management.commands.import_prices import guess_format


class Command(BaseCommand):
    help = "Export prices as CSV or JSON Lines (to a file, or standard output)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="Default: standard output.")
        parser.add_argument("--format", choices=["csv", "jsonl"], help="Default: by extension.")

    def handle(self, *args, path: Path | None, **options):
        fmt = options["format"] or (guess_format(path) if path else "csv")
        if path is None:
            price_import.write(price_import.export_rows(), self.stdout, fmt=fmt)
            return
        with written(path) as out:
            price_import.write(price_import.export_rows(), out, fmt=fmt)
