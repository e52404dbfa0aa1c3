"""Export every product and variant in the import format (CSV or JSON Lines)."""

import sys

from django.core.management.base import BaseCommand

from catalog import exchange
from catalog.models import Product
from kernel.command_files import written


class Command(BaseCommand):
    help = "Write all products (any status) as CSV or JSON Lines, re-importable as is."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default="-", help="file name; default stdout")
        parser.add_argument("--format", choices=["csv", "jsonl"], help="default: from the name")

    def handle(self, *args, output: str, format: str | None, **options):
        kind = format or ("jsonl" if output.endswith((".jsonl", ".ndjson")) else "csv")
        writer = exchange.write_jsonl if kind == "jsonl" else exchange.write_csv
        if output == "-":
            count = writer(Product.objects.all(), sys.stdout)
        else:
            with written(output) as out:
                count = writer(Product.objects.all(), out)
        self.stderr.write(f"{count} products exported.")
