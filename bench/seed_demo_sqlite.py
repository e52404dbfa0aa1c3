"""Benchmark: ``manage.py seed_demo`` on a fresh SQLite database (the embedded default).

    .venv/bin/python bench/seed_demo_sqlite.py

``make run`` migrates and seeds a new SQLite file on a fresh clone; this
times the seed alone (migrations done first, untimed) in a scratch file
that is deleted afterwards, with tasks running eagerly as in ``make run``.
Most of the time is the eager relay delivering the demo's events, each
delivery its own transaction: with ``PRAGMA synchronous=FULL`` every
commit waits for an fsync, with ``NORMAL`` (safe in WAL mode) only
checkpoints do. Prints the seconds. The shell's DATABASE_URL, CACHE_URL and
broker are ignored: the seed uses the scratch file and a local-memory cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        unsafe = {"DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "TEST_DATABASE_NAME"}
        env = {name: value for name, value in os.environ.items() if name not in unsafe}
        env["CACHE_URL"] = "locmemcache://bench"
        env["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'seed.sqlite3'}"
        env["MEDIA_ROOT"] = str(Path(scratch) / "media")
        manage("migrate", "--verbosity", "0", env=env)
        started = time.monotonic()
        manage("seed_demo", env=env)
        print(f"seed_demo on a fresh SQLite database: {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
