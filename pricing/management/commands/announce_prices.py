"""Publish every current base price again as ``pricing.price_changed.v1``.

For subscribers rebuilding their copy of prices (the catalog's search
projection after an upgrade, a restore or a split); see pricing.announce.
"""

from django.core.management.base import BaseCommand

from pricing.announce import prices_announce


class Command(BaseCommand):
    help = "Re-announce every current price, so subscribers (search projection) rebuild."

    def add_arguments(self, parser):
        parser.add_argument(
            "--currency", action="append", help="repeatable; default: every currency"
        )

    def handle(self, *args, currency: list[str] | None, **options):
        count = prices_announce(currencies=currency)
        self.stdout.write(f"Announced {count} prices; subscribers update as the relay delivers.")
