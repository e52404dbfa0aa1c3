"""Rebuild "customers who bought this also bought" from the baskets this context stored.

The counts are kept incrementally as orders are placed and cancelled; this
recomputes them from scratch (what beat runs nightly), e.g. after changing
how baskets are counted or restoring a backup. It reads only this context's
own record of the orders it has seen, never orders' tables.
"""

from django.core.management.base import BaseCommand

from recommendations.services import baskets


class Command(BaseCommand):
    help = "Recompute co-purchase counts from the order baskets recommendations has stored."

    def handle(self, *args, **options) -> None:
        pairs = baskets.copurchases_recompute()
        self.stdout.write(f"{pairs} product pairs counted.")
