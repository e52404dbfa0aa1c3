"""Recompute every product's rating from its published reviews."""

from django.core.management.base import BaseCommand

from kernel.display import count_display
from reviews import ratings


class Command(BaseCommand):
    help = (
        "Count every product's published reviews again and correct the stored average, count "
        "and histogram where they differ (publishing reviews.rating_changed.v1 for those)."
    )

    def handle(self, *args, **options):
        corrected = ratings.recompute_all()
        self.stdout.write(f"{count_display(corrected, 'product rating')} corrected.")
