"""Set on-hand quantities from a CSV of stock counts, all or nothing (as the admin import)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inventory import services, stock_import
from kernel.display import count_display


class Command(BaseCommand):
    help = (
        "Import stock counts from a CSV with the columns warehouse, sku, quantity. "
        "Every bad row is listed and nothing is changed unless the whole file is good."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument("--actor", default="import_stock", help="Recorded in the ledger.")

    def handle(self, *args, path: Path, actor: str, **options):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        parsed = stock_import.parse(raw)
        for error in parsed.errors:
            self.stderr.write(f"row {error.row}, column {error.column or '-'}: {error.reason}")
        if not parsed.ok:
            raise CommandError(
                f"{count_display(len(parsed.errors), 'problem')}; nothing was imported."
            )
        changed = services.stock_import(
            counts=parsed.counts,
            reference=f"import {path.name}"[:100],
            actor=actor,
        )
        self.stdout.write(self.style.SUCCESS(stock_import.summary(len(parsed.counts), changed)))
