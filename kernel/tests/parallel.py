"""How many threads a concurrency proof may race at once on PostgreSQL.

Each thread of a race is a request on its own connection, and holds one
connection to every database it touches until it ends: one with a single
database, up to one per database with a database per context
(``make pytest-split``: eight). The server admits ``max_connections`` less
those reserved for superusers, shared with every other client (``make test``
runs the PostgreSQL suite beside the split one, on the same server). Fifty
checkouts split would need 400, so a race asks for the threads it wants
and gets what fits:

    free    = max_connections - superuser_reserved_connections
              - reserved_connections (PostgreSQL 16+) - client connections open now
              - databases per thread (the test's own thread may open one to each)
    threads = min(wanted, free // databases per thread)

and fails (never skips) if fewer than ``at_least`` fit: fewer racers would
no longer prove the property. The budget is counted and used under a lock
shared by every test process on this machine (a file lock per server), so
the PostgreSQL run's race and the split run's never both count the same
free connections. The server's settings are left alone.

    with parallel_threads(wanted=50, at_least=6) as buyers:
        ... race ``buyers`` threads ...
"""

from __future__ import annotations

import fcntl
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, connections

from kernel.databases import all_databases

FREE_CONNECTIONS = """
    SELECT current_setting('max_connections')::int
         - current_setting('superuser_reserved_connections')::int
         - coalesce(current_setting('reserved_connections', true)::int, 0)
         - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')
"""


def connections_per_thread() -> int:
    """At most one connection per configured database (a thread opens what it uses)."""
    return len(all_databases())


def free_connections() -> int:
    """How many more connections the server admits now (those open counted)."""
    with connection.cursor() as cursor:
        cursor.execute(FREE_CONNECTIONS)
        (free,) = cursor.fetchone()
    return free


def _lock_file() -> Path:
    settings = connection.settings_dict
    server = f"{settings['HOST'] or 'local'}-{settings['PORT'] or 5432}"
    return Path(tempfile.gettempdir()) / f"commerce-test-connections-{server}.lock"


@contextmanager
def parallel_threads(*, wanted: int, at_least: int):
    """Yield how many threads to race: ``wanted``, or as many as the server admits."""
    with _lock_file().open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            free = free_connections() - connections_per_thread()
            threads = min(wanted, free // connections_per_thread())
            if threads < at_least:
                pytest.fail(
                    f"only {free} connections free on the server: {threads} threads of "
                    f"{connections_per_thread()} connections each, {at_least} needed"
                )
            yield threads
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def run_in_parallel(clients, request) -> list:
    """``request(i, client)`` for every client at once, each on its own connections."""
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def worker(i, client):
        try:
            barrier.wait()
            results[i] = request(i, client)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
