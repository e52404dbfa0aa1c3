"""Compare every stock row with its movement ledger; optionally recompute from it."""

from django.core.management.base import BaseCommand, CommandError

from inventory import audit


class Command(BaseCommand):
    help = (
        "Check that on-hand and allocated of every stock row equal the sum of its "
        "ledger movements (and allocated its open allocations). Exits 1 on a mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--recompute",
            action="store_true",
            help="Set mismatching rows to what the ledger says (the ledger wins).",
        )

    def handle(self, *args, recompute: bool, **options):
        found = audit.recompute() if recompute else audit.discrepancies()
        for discrepancy in found:
            self.stdout.write(str(discrepancy))
        if not found:
            self.stdout.write(self.style.SUCCESS("Stock matches the ledger."))
        elif recompute:
            self.stdout.write(self.style.WARNING(f"{len(found)} stock rows recomputed."))
        else:
            raise CommandError(f"{len(found)} stock rows differ from the ledger.")
