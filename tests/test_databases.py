"""A database per context, by configuration only (docs/splitting.md).

The router and the settings are proven here in any run: the placement of
every app, and a real ``migrate_all`` into three SQLite files. What needs
the databases to be really apart (roles, events across databases) is in
tests/test_split_mode.py, run by ``make pytest-split``.
"""

import ast
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.management import get_commands, load_command_class

from catalog.models import Product
from kernel import databases
from kernel.databases import ContextRouter, database_of, migration_order
from kernel.models import OutboxEvent
from pricing.models import Price
from tests.test_configuration import ROOT, inherited_environment

CONTEXTS = ["catalog", "pricing", "inventory", "orders", "reviews", "recommendations", "accounts"]
SPLIT = {
    **{context: context for context in CONTEXTS},
    **dict.fromkeys(["auth", "contenttypes", "sessions", "admin", "axes", "knox"], "accounts"),
}


#: Files that still open transactions on ``default``, each with why and until when.
#: An entry whose file has no stray left fails too, so the list cannot go stale.
@pytest.fixture
def split(settings):
    settings.CONTEXT_DATABASES = SPLIT


def test_each_context_s_models_are_read_and_written_in_its_own_database(split):
    router = ContextRouter()
    assert router.db_for_read(Product) == router.db_for_write(Product) == "catalog"
    assert router.db_for_write(Price) == "pricing"
    # Django's users, permissions and sessions live with accounts.
    assert router.db_for_write(Permission) == router.db_for_read(Session) == "accounts"


def test_the_outbox_is_where_its_caller_put_it(split):
    router = ContextRouter()
    assert router.db_for_write(OutboxEvent) is None  # default, unless told
    event = OutboxEvent()
    event._state.db = "pricing"
    assert router.db_for_write(OutboxEvent, instance=event) == "pricing"  # its deliveries too


def test_each_app_is_migrated_in_its_context_s_database_only_and_the_kernel_in_every_one(split):
    router = ContextRouter()
    for app_config in apps.get_app_configs():
        for database in ["default", *CONTEXTS]:
            expected = app_config.label == "shared" or database == database_of(app_config.label)
            assert router.allow_migrate(database, app_config.label) == expected, (
                app_config.label,
                database,
            )


def test_accounts_database_is_migrated_first(split, monkeypatch):
    monkeypatch.setattr(databases, "all_databases", lambda: ["default", *CONTEXTS])
    # Other contexts' data migrations grant their permissions to staff groups.
    assert migration_order()[0] == "accounts"
    assert sorted(migration_order()) == sorted(["default", *CONTEXTS])


@pytest.mark.parametrize("name", ["changepassword", "createsuperuser"])
def test_the_staff_user_commands_use_the_users_database_by_default(split, name):
    """They defaulted to ``default``, past the router: 'relation "auth_user" does not
    exist' in split mode, for the README's ``changepassword admin``."""
    command = load_command_class(get_commands()[name], name)
    assert command.create_parser("manage.py", name).parse_args([]).database == "accounts"


def test_without_split_settings_every_context_is_in_default(settings):
    settings.CONTEXT_DATABASES = {}  # what no DATABASE_URL_<CONTEXT> gives (split runs set some)
    assert {database_of(label) for label in [*CONTEXTS, "auth", "shared"]} == {"default"}


def test_database_urls_per_context_put_each_context_s_tables_in_its_database(tmp_path):
    files = {name: tmp_path / f"{name}.sqlite3" for name in ["default", "pricing", "accounts"]}
    environment = {
        # Not this run's own split settings, if any: only the three below.
        **{k: v for k, v in inherited_environment().items() if "DATABASE_URL" not in k},
        "DATABASE_URL": f"sqlite:///{files['default']}",
        "DATABASE_URL_PRICING": f"sqlite:///{files['pricing']}",
        "DATABASE_URL_ACCOUNTS": f"sqlite:///{files['accounts']}",
    }
    result = _manage("migrate_all", environment=environment)
    assert result.returncode == 0, result.stderr
    tables = {name: _tables(path) for name, path in files.items()}

    assert {"pricing_price", "pricing_voucher"} <= tables["pricing"]
    assert {"auth_user", "auth_group", "django_session", "accounts_address"} <= tables["accounts"]
    assert {"catalog_product", "orders_order"} <= tables["default"]
    for name, found in tables.items():
        assert {"shared_outboxevent", "shared_delivery", "shared_processedevent"} <= found, name
        others = {other for other in files if other != name}
        assert not any(t.startswith(tuple(f"{o}_" for o in others)) for t in found), name
    assert not any(t.startswith(("auth_", "django_session")) for t in tables["default"])
    # Pricing's migration granted its permissions to its staff group, in accounts' database.
    with sqlite3.connect(files["accounts"]) as db:
        granted = db.execute(
            "SELECT count(*) FROM auth_group g JOIN auth_group_permissions p ON p.group_id = g.id"
            " WHERE g.name = 'Pricing manager'"
        ).fetchone()[0]
    assert granted > 0

    # The staff user the README's commands create and change, in accounts' database.
    for command, stdin in [
        (["createsuperuser", "--noinput", "--username", "ada", "--email", "ada@example.com"], ""),
        (["changepassword", "ada"], "Zq!8-probe-Lx92\nZq!8-probe-Lx92\n"),
    ]:
        environment["DJANGO_SUPERUSER_PASSWORD"] = "Zq!8-first-Lx92"
        result = _manage(*command, environment=environment, stdin=stdin)
        assert result.returncode == 0, result.stderr
    assert "Password changed successfully for user 'ada'" in result.stdout


def _manage(*arguments: str, environment: dict, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


#: What opens a transaction or reaches a connection on ``default`` without saying so.
STRAYS = {("transaction", name) for name in ["atomic", "on_commit", "get_connection"]}


def _strays(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in STRAYS
        ):
            found.append(f"{where} transaction.{node.attr}")
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "django.db"
            and any(alias.name == "connection" for alias in node.names)
        ):
            found.append(f"{where} django.db.connection")
    return found


def _context_modules():
    for context in CONTEXTS:
        for path in sorted((ROOT / context).rglob("*.py")):
            if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
                yield path


def test_contexts_open_transactions_on_their_own_database_only():
    """``transaction.atomic()`` without ``using`` would run a context's service
    on ``default``: in split mode, in autocommit, without a word."""
    strays = [stray for path in _context_modules() for stray in _strays(path)]
    assert strays == [], "use kernel.databases.atomic/on_commit/connection_of"
