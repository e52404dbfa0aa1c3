"""Relay pending outbox events in this process (no broker, no beat needed)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from kernel import relay


class Command(BaseCommand):
    help = "Deliver pending outbox events to their subscribers in this process."

    def add_arguments(self, parser):
        parser.add_argument(
            "--forever",
            action="store_true",
            help="Keep relaying every OUTBOX_RELAY_INTERVAL_SECONDS (Ctrl-C to stop).",
        )

    def handle(self, *args, forever: bool, **options):
        # Ctrl-C is how --forever is stopped: a line, not a KeyboardInterrupt traceback.
        # A delivery interrupted midway rolls back; its lease runs out and it is offered again.
        try:
            while True:
                count = relay.relay(dispatch=relay.deliver_due)
                self.stdout.write(f"{count} deliveries attempted")
                if not forever:
                    return
                time.sleep(settings.OUTBOX_RELAY_INTERVAL_SECONDS)
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
