"""Fill the catalog's search projection from pricing and inventory as they are now.

The projection is normally kept by events. Prices and stock set before the
catalog subscribed (an existing shop upgrading) never sent it one: this
command asks pricing and inventory for every variant SKU and records what
they answer, stamped now. Run it once after the upgrade, when no bulk price
change is under way (a price event older than this run is then ignored,
a newer one still wins).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from catalog import api as catalog_api
from inventory import api as inventory_api
from kernel.money import MINOR_UNITS
from pricing import api as pricing_api

BATCH = 1000


class Command(BaseCommand):
    help = "Rebuild the catalog's price/stock search projection from pricing and inventory."

    def add_arguments(self, parser):
        parser.add_argument(
            "--currency", action="append", help="repeatable; default: every accepted currency"
        )

    def handle(self, *args, currency: list[str] | None, **options):
        currencies = currency or list(MINOR_UNITS)
        skus = catalog_api.sellable_skus()
        now = timezone.now()
        prices = 0
        for start in range(0, len(skus), BATCH):
            batch = skus[start : start + BATCH]
            for code in currencies:
                for unit_price in pricing_api.prices_for(skus=batch, currency=code).values():
                    catalog_api.record_price(
                        sku=unit_price.sku,
                        currency=code,
                        amount=unit_price.price.amount,
                        changed_at=now,
                    )
                    prices += 1
            # Availability shows a capped quantity; the projection only asks "more than 0?".
            for availability in inventory_api.availability(skus=batch).values():
                catalog_api.record_stock(
                    sku=availability.sku, quantity=availability.quantity_shown, changed_at=now
                )
        self.stdout.write(f"Projection rebuilt: {len(skus)} SKUs, {prices} prices.")
