"""Publish every current base price again as ``pricing.price_changed.v1``.

For subscribers rebuilding their copy of prices (the catalog's search
projection after an upgrade, a restore or a split); see pricing.announce.
"""

from django.core.management.base import BaseCommand, CommandError

from pricing.announce import prices_announce
from pricing.models import Price


class Command(BaseCommand):
    help = "Re-announce every current price, so subscribers (search projection) rebuild."

    def add_arguments(self, parser):
        parser.add_argument(
            "--currency",
            action="append",
            type=str.upper,
            help="repeatable, any case; default: every currency",
        )

    def handle(self, *args, currency: list[str] | None, **options):
        # A code no price is in (a typo, a lower-case code before codes were read in any
        # case) used to be "Announced 0 prices": a rebuild that looked done and sent nothing.
        if currency:
            priced = set(Price.objects.values_list("currency", flat=True).distinct())
            if unknown := sorted(set(currency) - priced):
                raise CommandError(
                    f"no prices in {', '.join(unknown)}; prices exist in "
                    f"{', '.join(sorted(priced)) or 'no currency'}"
                )
        count = prices_announce(currencies=currency)
        self.stdout.write(f"Announced {count} prices; subscribers update as the relay delivers.")
