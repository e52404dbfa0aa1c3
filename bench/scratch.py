"""Scratch databases and Redis keys for the benchmarks, so a bench is safe to run anywhere.

Every bench reads only ``BENCH_DATABASE_URL`` and ``BENCH_REDIS_URL``
(never ``DATABASE_URL``, ``CACHE_URL`` or a broker of the environment it
runs in), whose defaults name a ``bench`` database. A bench creates its own
PostgreSQL database, refuses to start when that database already exists
(it might be someone's data, or a crashed run to look at), and drops only
what it created. In Redis it deletes only keys it created: those under its
own key prefix, or broker queue keys that were not there before it started.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/commerce_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def database_url(suffix: str = "") -> str:
    """``BENCH_DATABASE_URL`` with ``_<suffix>`` appended to its database name.

    Each bench takes its own suffix so two benches never share a database.
    A name without "bench" in it is refused: it is too likely a real one.
    """
    parts = urlsplit(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    if not parts.scheme.startswith("postgres"):
        sys.exit("BENCH_DATABASE_URL must point at PostgreSQL")
    name = parts.path.lstrip("/") + (f"_{suffix}" if suffix else "")
    if "bench" not in name:
        sys.exit(f"BENCH_DATABASE_URL: refusing database {name!r}: its name must say 'bench'")
    return urlunsplit(parts._replace(path=f"/{name}"))


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance(url: str):
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True)


def refuse_existing(url: str) -> None:
    """Exit when the database exists: this run did not create it, so it must not drop it."""
    name = database_name(url)
    with _maintenance(url) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone():
            sys.exit(
                f"database {name!r} already exists (a crashed bench run?); drop it yourself "
                f"(psql -c 'DROP DATABASE \"{name}\"') or set BENCH_DATABASE_URL"
            )


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """Create the database named by ``url``, yield its URL, drop it afterwards."""
    refuse_existing(url)
    name = database_name(url)
    with _maintenance(url) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        with _maintenance(url) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


#: The keys a Celery broker makes for the project's default queue
#: (settings.CELERY_TASK_DEFAULT_QUEUE) and a worker's own (kombu's bindings
#: and their deadlines, the remote control's pidbox, unacknowledged messages).
BROKER_KEYS = ("commerce*", "_kombu.*", "unacked*")


def _queue_keys() -> tuple[str, ...]:
    """Every queue of the project (one per context), once Django's settings are loaded."""
    if "django" not in sys.modules:
        return ()
    from django.conf import settings

    if not settings.configured:
        return ()
    return tuple(queue.name for queue in settings.CELERY_TASK_QUEUES)


@contextmanager
def new_broker_keys_removed(url: str) -> Iterator[None]:
    """Delete, afterwards, the broker keys of ``url``'s database that appeared meanwhile.

    A queue's key names cannot be prefixed; so only keys of the project's
    queues and of a worker that were not there before are deleted: anything
    else in the database, and a key that existed already, are left alone.
    """
    import redis

    client = redis.Redis.from_url(url)

    def broker_keys() -> set[bytes]:
        patterns = (*BROKER_KEYS, *_queue_keys())
        return {key for pattern in patterns for key in client.scan_iter(match=pattern)}

    # Every key, not only the broker's: the queues' names are known only once
    # the bench has loaded Django's settings, after this point.
    before = set(client.scan_iter(count=1000))
    try:
        yield
    finally:
        created = broker_keys() - before
        if created:
            client.delete(*created)
        client.close()


@contextmanager
def redis_prefix_removed(url: str, prefix: str) -> Iterator[str]:
    """Yield ``prefix``; afterwards delete every key starting with it."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


@dataclass(frozen=True, slots=True)
class Workspace:
    """What a bench running servers works in: see `workspace`."""

    directory: Path
    database_url: str
    redis_url: str
    key_prefix: str


@contextmanager
def workspace(name: str, database_suffix: str = "") -> Iterator[Workspace]:
    """A temporary directory, a scratch database, the Redis of ``BENCH_REDIS_URL`` with a
    key prefix of this run's own; afterwards all removed, with the broker keys made meanwhile."""
    redis = redis_url()
    with (
        tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as directory,
        scratch_database(database_url(database_suffix)) as database,
        redis_prefix_removed(redis, f"bench-{name}-{os.getpid()}") as prefix,
        new_broker_keys_removed(redis),
    ):
        yield Workspace(Path(directory), database, redis, prefix)


def isolate_environment() -> None:
    """Drop this shell's database, cache and broker settings from the bench process.

    The bench then uses what it sets itself (scratch databases, a local
    memory cache, eager tasks) and cannot reach a service it was not given.
    A SIGTERM (``timeout``, ``make`` interrupted) exits through the cleanup
    of ``scratch_database`` and the Redis helpers instead of skipping it.
    """
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    for name in ("DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "TEST_DATABASE_NAME"):
        os.environ.pop(name, None)
    os.environ["CACHE_URL"] = "locmemcache://bench"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commerce.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
