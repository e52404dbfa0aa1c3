"""The processes a bench starts next to itself: gunicorn and a Celery worker.

Shared by the benches that measure the shop as it is deployed (bench/surge.py,
bench/checkout.py) and the relay as it runs (bench/relay_throughput.py), so
each starts them the same way: gunicorn with 2 sync workers on a free local
port, a worker on every queue; both stopped when the block ends, whatever
ended it (a SIGTERM included, see ``scratch.isolate_environment``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench import report, scratch

GUNICORN = [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2"]
#: How long a server or worker may take to answer after it is started (seconds).
START_SECONDS = 60


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def worker_rss(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [report.vm_rss_kib(Path(f"/proc/{child}/status").read_text()) for child in children]


@contextmanager
def serve(
    application: str, environment: dict, log: Path, *, ready_path: str = "/"
) -> Iterator[Server]:
    """gunicorn with 2 sync workers on a free port, until the block ends.

    ``ready_path`` must answer 2xx before the block starts (the shop's
    ``/readyz`` also checks its database, cache and broker).
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--chdir", str(scratch.ROOT)]
    if application == "commerce.wsgi":
        command += ["--config", "python:commerce.gunicorn"]
    else:
        environment = {**environment, "DJANGO_SETTINGS_MODULE": "bench.floor.settings"}
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, application], env={**os.environ, **environment}, stdout=output, stderr=output
        )
    server = Server(f"http://127.0.0.1:{port}/", process)
    try:
        wait_until_up(server, log, ready_path)
        yield server
    finally:
        stop(process)


def wait_until_up(server: Server, log: Path, ready_path: str = "/") -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            sys.exit(f"gunicorn exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(server.url.rstrip("/") + ready_path, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer in {START_SECONDS} s:\n{log.read_text()}")


@contextmanager
def celery_worker(
    *, concurrency: int, log: Path | None = None, beat_schedule: Path | None = None
) -> Iterator[subprocess.Popen]:
    """A Celery worker on every queue, answering before the block starts; stopped afterwards.

    It reads the broker and database of this process's environment (set them
    before ``django.setup()``). ``beat_schedule``: run beat inside the worker
    too (``--beat``), its state in that file, so the periodic relay backs up
    the nudges as in production; one process is the one beat operations asks for.
    """
    from django.conf import settings

    from commerce.celery import app

    queues = ",".join(queue.name for queue in settings.CELERY_TASK_QUEUES)
    command = [sys.executable, "-m", "celery", "-A", "commerce", "worker", "-Q", queues,
               f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
               "--without-heartbeat", "-l", "warning"]  # fmt: skip
    if beat_schedule is not None:
        command += ["--beat", "--schedule", str(beat_schedule)]
    output = log.open("w") if log is not None else None
    process = subprocess.Popen(
        command, cwd=scratch.ROOT, stdout=output, stderr=output, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 2 * START_SECONDS
        while not app.control.ping(timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                shown = f":\n{log.read_text()}" if log is not None else ""
                sys.exit(f"the bench's Celery worker did not start{shown}")
        yield process
    finally:
        stop(process, timeout=60)
        if output is not None:
            output.close()


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM (a warm shutdown for both), then SIGKILL if it does not end in ``timeout``."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
