"""Publish every product's rating again as ``reviews.rating_changed.v1``.

For subscribers rebuilding their copy of ratings (the catalog's listings,
the storefront's product cache) after a restore, a split or an outage
longer than the outbox keeps events; see ``reviews.ratings.ratings_announce``.
"""

from django.core.management.base import BaseCommand

from reviews.ratings import ratings_announce


class Command(BaseCommand):
    help = "Re-announce every product's rating, so subscribers (listings) rebuild their copy."

    def handle(self, *args, **options):
        count = ratings_announce()
        self.stdout.write(f"Announced {count} ratings; subscribers update as the relay delivers.")
