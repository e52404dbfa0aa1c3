"""Metrics in Prometheus' text format, and the one call contexts use to count.

    metrics.count("checkout_outcome", outcome="placed")

``count`` is the whole API a context needs: it increments the counter
``commerce_<name>_total`` with those labels, created on its first use. A
name keeps the label names it was first counted with; label values must
come from a small fixed set (an outcome, a cache's name), never from
input, or the number of series grows without bound.

The kernel's own instruments are defined here too, so the list of what is
measured is one screen: requests by route and status, database queries,
calls to optional contexts, cache errors, Celery tasks and outbox
deliveries. The outbox backlog is not counted but read from its tables at
scrape time (`OutboxCollector`): a gauge kept in memory would be wrong in
every process but the one that changed it.

Several processes (gunicorn workers, Celery's pool): set
``PROMETHEUS_MULTIPROC_DIR`` to a directory of their own before they start
(one per gunicorn master, one per Celery worker). prometheus-client then
keeps each process's values in files there and a scrape adds them up;
``commerce/gunicorn.py`` and the Celery worker empty it at start
(docs/operations.md, "Metrics").
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import threading
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

PREFIX = "commerce"

# --- Instruments of the kernel -------------------------------------------------
#: A page should answer within a few hundred milliseconds; the buckets are
#: finest there.
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

http_requests = Counter(
    f"{PREFIX}_http_requests",
    "Requests answered, by route pattern (not raw path), method and status.",
    ["route", "method", "status"],
)
http_request_duration = Histogram(
    f"{PREFIX}_http_request_duration_seconds",
    "Time from the first middleware to the response, by route pattern.",
    ["route", "method"],
    buckets=_LATENCY_BUCKETS,
)
db_queries = Counter(
    f"{PREFIX}_db_queries",
    "SQL statements run while answering requests, by route and database alias.",
    ["route", "alias"],
)
db_query_seconds = Counter(
    f"{PREFIX}_db_query_seconds",
    "Time spent in SQL statements while answering requests, by route and alias.",
    ["route", "alias"],
)
optional_calls = Counter(
    f"{PREFIX}_optional_calls",
    "Calls to an optional context through kernel.isolation.call_optional.",
    ["context"],
)
optional_fallbacks = Counter(
    f"{PREFIX}_optional_fallbacks",
    "Calls to an optional context answered by the fallback; reason is error, "
    "budget_exceeded (no answer within the time budget) or bulkhead_full.",
    ["context", "reason"],
)
celery_tasks = Counter(
    f"{PREFIX}_celery_tasks",
    "Celery task runs by task name and final state (SUCCESS, FAILURE, RETRY, ...).",
    ["task", "state"],
)
celery_task_duration = Histogram(
    f"{PREFIX}_celery_task_duration_seconds",
    "Run time of Celery tasks by task name.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 120.0, 300.0),
)
cache_errors = Counter(
    f"{PREFIX}_cache_errors",
    "Cache operations the cache server did not answer, taken as a miss or a write not "
    "kept (kernel.cache_backend): operation read or write; reason error (failed or timed "
    "out) or skipped (not asked: the breaker is open).",
    ["operation", "reason"],
)
outbox_deliveries = Counter(
    f"{PREFIX}_outbox_deliveries",
    "Delivery attempts of outbox events by subscriber and outcome "
    "(delivered, failed: to be retried, dead: given up).",
    ["subscriber", "outcome"],
)

# --- count(): counters of the contexts, made on first use -----------------------
_NAME = re.compile(r"[a-z][a-z0-9_]{0,60}")
_counters: dict[str, tuple[Counter, tuple[str, ...]]] = {}
_counters_lock = threading.Lock()


def count(name: str, amount: float = 1, **labels: str) -> None:
    """Add ``amount`` to the counter ``commerce_<name>_total`` with ``labels``."""
    label_names = tuple(sorted(labels))
    with _counters_lock:
        if name not in _counters:
            if not _NAME.fullmatch(name):
                raise ValueError(f"metric name {name!r} is not lower_snake_case")
            counter = Counter(
                f"{PREFIX}_{name}", f"{name} (counted with kernel.metrics.count)", label_names
            )
            _counters[name] = (counter, label_names)
        counter, known = _counters[name]
    if known != label_names:
        raise ValueError(f"metric {name!r} is counted with labels {known}, not {label_names}")
    (counter.labels(**labels) if labels else counter).inc(amount)


# --- Scrape-time gauges of the outbox ------------------------------------------
class OutboxCollector:
    """The outbox backlog, read from its tables when Prometheus scrapes.

    Two queries per database whatever the number of subscribers
    (`outbox_status.snapshot`).
    If the database does not answer, the gauges are left out and
    ``commerce_outbox_collect_success`` says 0, so the rest of the scrape
    still arrives.
    """

    def describe(self):
        return []  # nothing to check at registration, and no query at import

    def collect(self):
        # Imported here: this module is loaded before Django's apps are
        # (gunicorn's settings, every context's module), the models are not.
        from kernel import outbox_status

        success = GaugeMetricFamily(
            f"{PREFIX}_outbox_collect_success", "1 if the outbox tables could be read."
        )
        try:
            snapshot = outbox_status.snapshot()
        except DatabaseError:
            logger.warning("outbox metrics not collected: the database did not answer")
            success.add_metric([], 0)
            yield success
            return
        success.add_metric([], 1)
        yield success
        yield GaugeMetricFamily(
            f"{PREFIX}_outbox_unrelayed_events",
            "Events not yet fanned out to their subscribers.",
            value=snapshot.unrelayed,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_outbox_oldest_pending_age_seconds",
            "Age of the oldest event still waiting for a delivery (0 when none waits).",
            value=snapshot.oldest_pending_age_seconds,
        )
        for status, by_subscriber in (
            ("pending", snapshot.pending),
            ("dead", snapshot.dead),
        ):
            family = GaugeMetricFamily(
                f"{PREFIX}_outbox_{status}_deliveries",
                f"Deliveries {status} per subscriber.",
                labels=["subscriber"],
            )
            for subscriber, number in sorted(by_subscriber.items()):
                family.add_metric([subscriber], number)
            yield family


def clear_multiprocess_dir() -> None:
    """Forget the values of a previous run (call before the processes start).

    The files of processes that exited during a run are kept on purpose: a
    worker that is recycled must not take its counts with it.
    """
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        for stale in Path(directory).glob("*.db"):
            stale.unlink(missing_ok=True)


def scrape_registry(*, with_outbox: bool = True) -> CollectorRegistry:
    """What a scrape shows: every process's instruments and, unless told
    otherwise, the outbox backlog."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_Everything())
    if with_outbox:
        registry.register(OutboxCollector())
    return registry


class _Everything:
    """This process's default registry, as one collector of a scrape registry."""

    def describe(self):
        return []

    def collect(self):
        return REGISTRY.collect()


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``/metrics``: behind ``Authorization: Bearer <METRICS_TOKEN>`` when one is set."""
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if not sent:
            response = HttpResponse("metrics need a bearer token\n", status=401)
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return HttpResponse("wrong metrics token\n", status=403)
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)


def metrics_token_check(app_configs, **_) -> list[checks.CheckMessage]:
    """``check --deploy``: without ``METRICS_TOKEN``, anyone reaching a web process reads
    /metrics (routes, traffic, the outbox backlog); the probes answer before the host check."""
    if settings.METRICS_TOKEN:
        return []
    return [
        checks.Warning(
            "METRICS_TOKEN is not set: /metrics answers anyone who reaches a web process.",
            hint="Set METRICS_TOKEN and give Prometheus the token (docs/operations.md, "
            "Metrics), or keep /metrics off the public load balancer and silence shared.W001.",
            id="shared.W001",
        )
    ]
