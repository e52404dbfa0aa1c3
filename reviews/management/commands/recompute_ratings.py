"""Recompute every product's rating from its published reviews."""

from django.core.management.base import BaseCommand

from reviews import ratings


class Command(BaseCommand):
    help = (
        "Count every product's published reviews again and correct the stored average, count "
        "and histogram where they differ (publishing reviews.rating_changed.v1 for those)."
    )

    def handle(self, *args, **options):
        corrected = ratings.recompute_all()
        self.stdout.write(f"{corrected} product rating(s) corrected.")
