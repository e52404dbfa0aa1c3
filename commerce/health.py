"""Probes for the orchestrator and the scrape for Prometheus.

- ``/healthz``: the process is alive and answers; touches no dependency, so a
  database outage never gets every web process restarted at once.
- ``/readyz``: every database alias, every cache and the Celery broker
  answer within ``READINESS_TIMEOUT_SECONDS``; 503 otherwise, with a JSON
  body naming each check and whether it passed. A load balancer stops
  sending traffic to a process that is not ready.
- ``/metrics``: `kernel.metrics.metrics_view`.

They are answered by the first middleware, before everything else: no
session, no cookie, no CSRF, no authentication or throttle, no host check
(an orchestrator probes by IP address, which ``ALLOWED_HOSTS`` would
refuse), no HTTPS redirect (probes speak plain HTTP inside the cluster),
and no request metrics (one probe a second would drown the real traffic).

Cheap enough to be called every second: the database check is ``SELECT 1``
on the process's own (persistent) connection; the cache and broker checks
run side by side on threads kept for them, each answer awaited at most
the timeout. A check that hangs longer (a cache host that drops packets
holds a connect for minutes) is not started again while it runs: the next
probes wait on the same run. Otherwise every probe would queue one more,
and the process would still report the stale queue as timeouts long after
the dependency came back.
The body names failed checks by exception class only; the details go to
the log, not to whoever can reach the endpoint.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from time import perf_counter

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from kombu import Connection

from kernel import cache_backend, correlation
from kernel.metrics import metrics_view

logger = logging.getLogger(__name__)

_checkers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")
#: The latest run of each check done on a thread, by name.
_runs: dict[str, Future] = {}
_runs_lock = threading.Lock()


def healthz(request) -> HttpResponse:
    return JsonResponse({"status": "alive"})


def _database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache(alias: str) -> None:
    cache = caches[alias]
    if isinstance(cache, cache_backend.RedisCache):
        cache.ping()  # it takes a failure for a miss, which must not pass for ready
    else:
        cache.get("health:readyz")


def _broker() -> None:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return  # no broker: tasks run in process
    timeout = settings.READINESS_TIMEOUT_SECONDS
    options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "socket_connect_timeout": timeout}
    with Connection(url, connect_timeout=timeout, transport_options=options) as connection:
        connection.ensure_connection(max_retries=0)


def _run(name: str, check, *args) -> dict:
    started = perf_counter()
    try:
        check(*args)
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        logger.warning("readiness check %s failed: %r", name, exc)
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((perf_counter() - started) * 1000, 1)}


def _started(name: str, check, *args) -> Future:
    """A run of ``check``: the one still running under ``name``, else a new one."""
    with _runs_lock:
        run = _runs.get(name)
        if run is None or run.done():
            run = _runs[name] = _checkers.submit(_run, name, check, *args)
        return run


def readiness() -> dict[str, dict]:
    """Every check by name: ``{"ok": bool, "ms": float}`` or ``{"ok": False, "error": str}``."""
    timeout = settings.READINESS_TIMEOUT_SECONDS
    elsewhere = {f"cache:{alias}": (_cache, alias) for alias in settings.CACHES}
    elsewhere["broker"] = (_broker,)
    futures = {name: _started(name, check, *args) for name, (check, *args) in elsewhere.items()}
    # Database connections belong to their thread: checked here, on the
    # connection this process keeps (CONN_MAX_AGE), not on a new one.
    results = {
        f"database:{alias}": _run(f"database:{alias}", _database, alias)
        for alias in settings.DATABASES
    }
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=timeout)
        except FutureTimeout:
            logger.warning("readiness check %s: no answer within %.1fs", name, timeout)
            results[name] = {"ok": False, "error": "timeout"}
    return results


def readyz(request) -> HttpResponse:
    checks = readiness()
    failed = sorted(name for name, result in checks.items() if not result["ok"])
    body = {"status": "not ready" if failed else "ready", "failed": failed, "checks": checks}
    response = JsonResponse(body, status=503 if failed else 200)
    # Each failed check was logged as a WARNING naming it; Django would add an ERROR line
    # for every 503, i.e. every few seconds per process through an outage the readiness
    # alert already pages on.
    response._has_been_logged = True
    return response


ENDPOINTS = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics_view}


def operations_endpoints_middleware(get_response):
    """Answer the probes and the scrape before any other middleware runs."""

    def middleware(request):
        view = ENDPOINTS.get(request.path_info)
        if view is None:
            return get_response(request)
        if request.method in ("GET", "HEAD"):
            response = view(request)
        else:
            response = HttpResponseNotAllowed(["GET", "HEAD"])
        response["Cache-Control"] = "no-store"
        # Like every answer, a probe's carries its request id (the caller's, if sane).
        response[correlation.REQUEST_ID_HEADER] = correlation.request_id_from_headers(
            request_id=request.headers.get(correlation.REQUEST_ID_HEADER),
            traceparent=request.headers.get("traceparent"),
        )
        return response

    return middleware
