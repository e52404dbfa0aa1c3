"""Forget Idempotency-Keys older than ORDERS_IDEMPOTENCY_TTL_HOURS (beat does this hourly)."""

from django.core.management.base import BaseCommand

from orders import idempotency


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        self.stdout.write(f"{idempotency.purge_expired()} expired idempotency keys purged.")
