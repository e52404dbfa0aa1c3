"""Django's staff-user commands, on the database where users live.

``changepassword`` and ``createsuperuser`` take ``--database`` and default
it to ``default``, then ask that database explicitly, past the router. With
accounts in its own database (split mode) the README's
``manage.py changepassword admin`` failed with 'relation "auth_user" does
not exist'. The back office is the first app in ``INSTALLED_APPS``, so its
commands of the same names are the ones ``manage.py`` runs; they only move
the default to where the router puts the user model.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import router


def default_to_the_users_database(parser) -> None:
    parser.set_defaults(database=router.db_for_write(get_user_model()))
