"""Migrate every database: one per context in split mode, just ``default`` otherwise."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kernel.databases import migration_order


class Command(BaseCommand):
    help = (
        "Run `migrate --database X` for every configured database, accounts' first "
        "(docs/splitting.md)."
    )

    def handle(self, *args, **options):
        for database in migration_order():
            self.stdout.write(f"Migrating database {database!r}")
            call_command(
                "migrate",
                database=database,
                interactive=False,
                verbosity=options["verbosity"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
