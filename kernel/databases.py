"""Which database each context's tables live in: one per context, by configuration.

``DATABASE_URL_<CONTEXT>`` (settings) gives a context a database alias of
its own, named after it; a context without one lives in ``default``. The
settings turn that into ``CONTEXT_DATABASES``, app label to alias, and
this module is the one place that reads it:

- ``ContextRouter`` places every model of an app in its context's database
  and migrates each app there only. The kernel's tables (outbox, deliveries,
  inbox) are in every database: each context publishes into its own outbox
  and remembers what it handled in its own inbox.
- ``atomic(context)`` opens a transaction on the context's database. Django's
  ``transaction.atomic()`` and ``on_commit()`` default to ``default``, which
  in split mode is not where a context's rows are: a service wrapped in it
  would run in autocommit, unprotected, without a word. Contexts therefore
  open their transactions only through this helper
  (``tests/test_databases.py`` walks the code for strays).

With no ``DATABASE_URL_<CONTEXT>`` set every label maps to ``default`` and
all of this is the plain single-database behaviour.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

#: The kernel's app label: its tables exist in every database.
KERNEL_LABEL = "shared"


def database_of(label: str) -> str:
    """The database alias of an app label (a context, or an app that lives with one)."""
    return settings.CONTEXT_DATABASES.get(label, DEFAULT_DB_ALIAS)


def atomic(context: str, *, savepoint: bool = True, durable: bool = False):
    """``transaction.atomic`` on ``context``'s database; a decorator or a ``with`` block."""
    return transaction.atomic(using=database_of(context), savepoint=savepoint, durable=durable)


def on_commit(context: str, callback, *, robust: bool = False) -> None:
    """Run ``callback`` once ``context``'s current transaction commits."""
    transaction.on_commit(callback, using=database_of(context), robust=robust)


def connection_of(context: str):
    """The connection to ``context``'s database: for raw SQL and vendor checks."""
    return connections[database_of(context)]


def all_databases() -> list[str]:
    """Every configured alias; each holds an outbox, so each needs a relay."""
    return list(settings.DATABASES)


def migration_order() -> list[str]:
    """Aliases in the order to migrate them: accounts' (auth) first, since other
    contexts' data migrations grant its permissions to staff groups."""
    first = database_of("auth")
    return [first, *(alias for alias in all_databases() if alias != first)]


class ContextRouter:
    """Places each app's models, and its migrations, in its context's database."""

    def db_for_read(self, model, **hints) -> str | None:
        return self._placement(model, hints)

    def db_for_write(self, model, **hints) -> str | None:
        return self._placement(model, hints)

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return app_label == KERNEL_LABEL or database_of(app_label) == db

    @staticmethod
    def _placement(model, hints) -> str | None:
        label = model._meta.app_label
        if label == KERNEL_LABEL:
            # The outbox of whichever database the caller chose (``using``);
            # a related row follows its instance.
            instance = hints.get("instance")
            return instance._state.db if instance is not None else None
        return database_of(label)
