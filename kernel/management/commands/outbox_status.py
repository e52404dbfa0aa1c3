"""How far behind the outbox is: what the metrics show, for a person at a shell."""

import json

from django.core.management.base import BaseCommand

from kernel import outbox_status
from kernel.subscribers import subscriber_names


class Command(BaseCommand):
    help = (
        "Show events not yet relayed, the age of the oldest event still waiting, "
        "and pending and dead deliveries per subscriber."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="One JSON object, for scripts."
        )

    def handle(self, *args, as_json: bool, **options):
        snapshot = outbox_status.snapshot()
        # Every registered subscriber, and any name left in the table by
        # one that no longer is (its deliveries can only die).
        names = sorted({*subscriber_names(), *snapshot.pending, *snapshot.dead})
        rows = {
            name: {"pending": snapshot.pending.get(name, 0), "dead": snapshot.dead.get(name, 0)}
            for name in names
        }
        if as_json:
            self.stdout.write(_json(snapshot, rows))
            return
        self.stdout.write(f"unrelayed events:   {snapshot.unrelayed}")
        oldest = snapshot.oldest_pending_at
        self.stdout.write(
            "oldest pending:     "
            + (
                f"{snapshot.oldest_pending_age_seconds:.0f} s ago ({oldest:%Y-%m-%d %H:%M:%S %Z})"
                if oldest
                else "none"
            )
        )
        width = max((len(name) for name in names), default=10)
        self.stdout.write(f"\n{'subscriber':<{width}}  {'pending':>7}  {'dead':>5}")
        for name, row in rows.items():
            line = f"{name:<{width}}  {row['pending']:>7}  {row['dead']:>5}"
            self.stdout.write(self.style.ERROR(line) if row["dead"] else line)


def _json(snapshot: outbox_status.OutboxSnapshot, rows: dict) -> str:
    oldest = snapshot.oldest_pending_at
    return json.dumps(
        {
            "unrelayed_events": snapshot.unrelayed,
            "oldest_pending_at": oldest.isoformat() if oldest else None,
            "oldest_pending_age_seconds": round(snapshot.oldest_pending_age_seconds, 3),
            "subscribers": rows,
        },
        indent=2,
    )
