"""Deliver events again to a subscriber that was fixed (kernel/replay.py says how)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from kernel import replay
from kernel.commandline import moment
from kernel.subscribers import get_subscriber, subscriber_names


class Command(BaseCommand):
    help = (
        "Make every event for SUBSCRIBER since a time due again: dead and waiting "
        "deliveries are reset, missing ones created; --reprocess also re-runs events "
        "the subscriber already handled."
    )

    def add_arguments(self, parser):
        parser.add_argument("--subscriber", required=True, help="The subscriber's name.")
        parser.add_argument(
            "--since",
            required=True,
            type=moment,
            help="ISO 8601 time, e.g. 2026-05-01T08:00:00+00:00 (no offset: TIME_ZONE).",
        )
        parser.add_argument(
            "--reprocess",
            action="store_true",
            help="Also forget the subscriber's inbox rows of those events and run them again "
            "(for a handler that committed wrong effects).",
        )

    def handle(self, *args, subscriber: str, since: datetime, reprocess: bool, **options):
        target = get_subscriber(subscriber)
        if target is None:
            raise CommandError(
                f"no subscriber named {subscriber!r}; known: {', '.join(subscriber_names())}"
            )
        done = replay.replay(subscriber=target, since=since, reprocess=reprocess)
        self.stdout.write(
            f"{subscriber}: {done.reset} deliveries reset, {done.created} created, "
            f"{done.forgotten} inbox rows forgotten; the relay delivers them now"
        )
