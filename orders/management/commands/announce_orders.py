"""Publish every order again as ``orders.order_announced.v1`` (no e-mail is sent again).

For subscribers rebuilding what they keep of orders (pricing's demand,
recommendations' baskets); see ``orders.announce``.
"""

from datetime import datetime

from django.core.management.base import BaseCommand

from kernel.commandline import moment
from orders.announce import orders_announce


class Command(BaseCommand):
    help = "Re-announce orders as they stand, so subscribers (demand, recommendations) rebuild."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=moment,
            help="only orders placed since this ISO 8601 time (no offset: TIME_ZONE); "
            "default: every order",
        )

    def handle(self, *args, since: datetime | None, **options):
        count = orders_announce(since=since)
        self.stdout.write(f"Announced {count} orders; subscribers update as the relay delivers.")
