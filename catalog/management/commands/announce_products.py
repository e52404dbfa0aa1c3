"""Publish every product again as ``catalog.product_changed.v1``.

For subscribers rebuilding their copy of the catalog (recommendations'
product profiles, pricing's SKU placements) after a restore, a split or an
outage longer than the outbox keeps events; see
``catalog.upsert.announce.products_announce``.
"""

from django.core.management.base import BaseCommand

from catalog.upsert.announce import products_announce


class Command(BaseCommand):
    help = "Re-announce every product, so subscribers (recommendations, pricing) rebuild."

    def handle(self, *args, **options):
        count = products_announce()
        self.stdout.write(f"Announced {count} products; subscribers update as the relay delivers.")
