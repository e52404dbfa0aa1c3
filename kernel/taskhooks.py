"""Celery tasks carry the request id of the work that sent them, and are measured.

- Publishing a task (``before_task_publish``, in the sender) puts the
  current request id in the message's ``request_id`` header.
- Running it (``task_prerun``, in the worker) binds that id for the run and
  ``task_postrun`` unbinds it, so the task's log lines, the tasks it sends
  and the events it publishes carry the id of the request that started it
  all. A task without one (sent by beat) runs under its own task id.
  An eager task (tests, the embedded default) sends no message: it keeps
  the id of the code that called it.
- ``task_postrun`` also counts the run by final state and times it.

Connected once per process from the kernel's ``AppConfig.ready``.
"""

from __future__ import annotations

import logging
from time import perf_counter

from celery import signals
from django.conf import settings
from prometheus_client import start_http_server

from kernel import correlation, metrics

logger = logging.getLogger(__name__)

HEADER = "request_id"

#: The runs in progress in this process: task id -> (context token, start).
_running: dict[str, tuple[object, float]] = {}


def _on_publish(headers: dict | None = None, **_) -> None:
    request_id = correlation.current_request_id()
    if headers is not None and request_id:
        headers.setdefault(HEADER, request_id)


def _sent_request_id(task) -> str | None:
    request = task.request
    sent = getattr(request, HEADER, None) or (request.headers or {}).get(HEADER)
    if sent:
        return sent
    if request.is_eager:
        return correlation.current_request_id() or None
    return None


def _on_prerun(task_id: str, task, **_) -> None:
    request_id = correlation.sane_request_id(_sent_request_id(task)) or task_id
    token = correlation.bind(request_id)
    _running[task_id] = (token, perf_counter())


def _on_postrun(task_id: str, task, state: str | None = None, **_) -> None:
    running = _running.pop(task_id, None)
    if running is None:  # prerun of another process, or never seen
        return
    token, started = running
    elapsed = perf_counter() - started
    metrics.celery_tasks.labels(task.name, state or "UNKNOWN").inc()
    metrics.celery_task_duration.labels(task.name).observe(elapsed)
    logger.debug("task %s %s in %.3fs", task.name, state, elapsed)
    correlation.unbind(token)


def _on_worker_init(**_) -> None:
    """Serve this worker's metrics on ``METRICS_WORKER_PORT``, if set.

    Started in the worker's main process, before its pool: the runs are
    counted in the pool's processes, whose values reach it through
    ``PROMETHEUS_MULTIPROC_DIR`` (emptied here first, the values of the
    previous run are not this one's). The outbox gauges are the web's to show.
    """
    metrics.clear_multiprocess_dir()
    port = settings.METRICS_WORKER_PORT
    if port:
        start_http_server(port, registry=metrics.scrape_registry(with_outbox=False))


def connect() -> None:
    signals.worker_init.connect(_on_worker_init, weak=False, dispatch_uid="kernel.worker_init")
    signals.before_task_publish.connect(_on_publish, weak=False, dispatch_uid="kernel.publish")
    signals.task_prerun.connect(_on_prerun, weak=False, dispatch_uid="kernel.prerun")
    signals.task_postrun.connect(_on_postrun, weak=False, dispatch_uid="kernel.postrun")
