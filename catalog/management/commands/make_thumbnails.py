"""Make the thumbnails that are missing (after a broker outage, or of old images)."""

from django.core.management.base import BaseCommand

from catalog import images
from catalog.models import ProductImage


class Command(BaseCommand):
    help = "Make missing thumbnails of product images (--all: remake every one)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true")

    def handle(self, *args, all: bool, **options):
        queryset = ProductImage.objects.all() if all else ProductImage.objects.filter(thumbnails={})
        made = sum(
            1 for pk in queryset.values_list("pk", flat=True) if images.make_thumbnails(image_id=pk)
        )
        self.stdout.write(f"Thumbnails made for {made} images.")
