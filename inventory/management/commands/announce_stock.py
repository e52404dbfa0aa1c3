"""Publish every SKU's sellable quantity again as ``inventory.stock_changed.v1``.

For subscribers rebuilding their copy of stock (the catalog's search
projection after an upgrade, a restore or a split); see
``inventory.services.stock_announce``.
"""

from django.core.management.base import BaseCommand

from inventory.services import stock_announce


class Command(BaseCommand):
    help = "Re-announce every SKU's sellable stock, so subscribers (search projection) rebuild."

    def handle(self, *args, **options):
        count = stock_announce()
        self.stdout.write(f"Announced {count} SKUs; subscribers update as the relay delivers.")
