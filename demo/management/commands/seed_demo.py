"""Fill the shop with deterministic demo data and a staff user. Idempotent."""

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.catalog_seed import seed_catalog_prices_stock
from demo.inventory_seed import seed_second_warehouse
from demo.orders_seed import ORDER_COUNT, seed_orders
from demo.pricing_seed import seed_pricing
from demo.reviews_seed import seed_reviews
from kernel import relay

STAFF_USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Create or update the demo catalog, prices, stock, reviews and three months of orders, "
        "and a staff user."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the shop already has products."
        )
        parser.add_argument(
            "--orders",
            type=int,
            default=ORDER_COUNT,
            help=f"How many demo orders the shop has had (default {ORDER_COUNT}; 0 for none).",
        )

    def handle(self, *args, if_empty: bool, orders: int, **options):
        from catalog import api as catalog_api

        if if_empty and catalog_api.product_page(page=1, per_page=1).total:
            self.stdout.write("Demo data already present; nothing to do.")
            return
        with _relay_quiet(), transaction.atomic():
            count = seed_catalog_prices_stock()
            seed_second_warehouse()
            seed_pricing()
            seed_reviews()
            # Pricing learns the products' categories (promotions, the experiment)
            # and recommendations the products before the orders arrive.
            deliver_events()
            placed = seed_orders(count=orders)
            password = self._ensure_staff_user()
        with _relay_quiet():
            deliver_events()  # recommendations, demand and reviews learn from the orders
        self.stdout.write(
            self.style.SUCCESS(f"Demo shop ready: {count} products, {placed} new orders.")
        )
        if password:
            self.stdout.write(
                f"Staff login (shown only now): {STAFF_USERNAME} / {password}\n"
                f"Reset it any time with: manage.py changepassword {STAFF_USERNAME}"
            )

    def _ensure_staff_user(self) -> str | None:
        """Create the staff user if missing; return its new password, else None."""
        User = get_user_model()
        if User.objects.filter(username=STAFF_USERNAME).exists():
            return None
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(STAFF_USERNAME, "admin@example.com", password)
        return password


def deliver_events() -> None:
    """Relay every pending event now, whether or not a worker would (an eager one did already)."""
    relay.relay(dispatch=relay.deliver_due)


@contextmanager
def _relay_quiet() -> Iterator[None]:
    """The relay logs each delivery at INFO: tens of thousands of lines for the demo's orders."""
    logger = logging.getLogger("kernel.relay")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
