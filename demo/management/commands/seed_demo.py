"""Fill the shop with deterministic demo data and a staff user. Idempotent."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.catalog_seed import seed_catalog_prices_stock
from demo.inventory_seed import seed_second_warehouse
from demo.pricing_seed import seed_pricing
from demo.reviews_seed import seed_reviews

STAFF_USERNAME = "admin"


class Command(BaseCommand):
    help = "Create or update the demo catalog, prices, stock and reviews, and a staff user."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the shop already has products."
        )

    def handle(self, *args, if_empty: bool, **options):
        from catalog import api as catalog_api

        if if_empty and catalog_api.product_page(page=1, per_page=1).total:
            self.stdout.write("Demo data already present; nothing to do.")
            return
        with transaction.atomic():
            count = seed_catalog_prices_stock()
            seed_second_warehouse()
            seed_pricing()
            seed_reviews()
            password = self._ensure_staff_user()
        self.stdout.write(self.style.SUCCESS(f"Demo shop ready: {count} products."))
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
