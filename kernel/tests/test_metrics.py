"""/metrics: who may read it, and what the kernel's instruments count."""

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.db import OperationalError
from prometheus_client import generate_latest

from kernel import metrics, outbox_status, taskhooks
from kernel.databases import all_databases, database_of
from kernel.isolation import call_optional
from kernel.models import Delivery
from kernel.tests.queries import captured_queries
from kernel.tests.scrape import Scrape, scrape
from kernel.tests.test_correlation import log_a_line
from tests.probe.services import probe_happen

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_count_makes_a_counter_on_first_use_and_holds_it_to_its_labels(client):
    before = scrape(client)
    metrics.count("probe_outcome", outcome="fine")
    metrics.count("probe_outcome", 2, outcome="fine")
    assert scrape(client).delta(before, "commerce_probe_outcome_total", outcome="fine") == 3
    with pytest.raises(ValueError, match="labels"):
        metrics.count("probe_outcome", result="fine")
    with pytest.raises(ValueError, match="snake_case"):
        metrics.count("Probe-Outcome")


def test_a_metrics_token_keeps_the_metrics_to_who_has_it(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    anonymous = client.get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "s3cret-token"}).status_code == 403
    assert scrape(client, Authorization="Bearer s3cret-token").total(
        "commerce_outbox_collect_success"
    )


def test_the_deploy_check_warns_while_anyone_may_read_the_metrics(settings):
    settings.METRICS_TOKEN = ""
    [warning] = metrics.metrics_token_check(None)
    assert warning.id == "shared.W001"
    settings.METRICS_TOKEN = "s3cret-token"
    assert metrics.metrics_token_check(None) == []


def test_requests_are_counted_by_route_pattern_and_status_with_their_queries(client):
    before = scrape(client)
    for slug in ("green-tea", "black-tea", "no-such-tea"):
        assert client.get(f"/products/{slug}/").status_code == 404
    client.get("/nowhere/at/all/")
    after = scrape(client)
    route = "/products/<slug:slug>/"
    requests = "commerce_http_requests_total"
    assert after.delta(before, requests, route=route, method="GET", status="404") == 3
    assert after.delta(before, requests, route="<unmatched>", status="404") == 1
    assert not any("green-tea" in str(labels) for _, labels in after.samples)
    latency = "commerce_http_request_duration_seconds_count"
    assert after.delta(before, latency, route=route) == 3
    catalog = database_of("catalog")  # where the product page looks up its product
    queries = after.delta(before, "commerce_db_queries_total", route=route, alias=catalog)
    assert queries >= 3  # at least one lookup per page
    assert after.delta(before, "commerce_db_query_seconds_total", route=route) > 0


def test_calls_to_optional_contexts_and_their_fallbacks_by_reason(client, settings):
    """With one thread for the context, a hung call overruns its budget and fills the bulkhead."""
    settings.ISOLATION_MAX_WORKERS = 1
    context = f"probe-{uuid.uuid4().hex[:8]}"  # a bulkhead of its own, made with that size
    answer = threading.Event()

    def broken():
        raise RuntimeError("down")

    before = scrape(client)
    try:
        # On this thread: a call ending on a worker frees it only just after it answered.
        assert call_optional(context, lambda: "fine", fallback=None, inline=True) == "fine"
        assert call_optional(context, broken, fallback="fallback", inline=True) == "fallback"
        assert call_optional(context, answer.wait, fallback="late", budget=0.01) == "late"
        assert call_optional(context, answer.wait, fallback="full", budget=30) == "full"
    finally:
        answer.set()
    after = scrape(client)
    assert after.delta(before, "commerce_optional_calls_total", context=context) == 4
    fallbacks = "commerce_optional_fallbacks_total"
    for reason in ("error", "budget_exceeded", "bulkhead_full"):
        assert after.delta(before, fallbacks, context=context, reason=reason) == 1, reason


def test_celery_tasks_are_counted_by_state_and_timed(client):
    before = scrape(client)
    log_a_line.delay()
    after = scrape(client)
    name = "kernel.tests.log_a_line"
    assert after.delta(before, "commerce_celery_tasks_total", task=name, state="SUCCESS") == 1
    assert after.delta(before, "commerce_celery_task_duration_seconds_count", task=name) == 1


def test_the_outbox_backlog_is_read_at_scrape_time_with_two_queries_per_database(
    client, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        probe_happen(label="dies", fail=True)  # the recorder fails: dead at once
    probe_happen(label="waits")  # not relayed (no commit in this test)
    with captured_queries() as queries:
        outbox_status.snapshot()
    assert len(queries) == 2 * len(all_databases())
    after = scrape(client)
    assert after.value("commerce_outbox_unrelayed_events") == 1
    assert after.value("commerce_outbox_dead_deliveries", subscriber="probe.recorder") == 1
    assert after.value("commerce_outbox_oldest_pending_age_seconds") >= 0
    deliveries = "commerce_outbox_deliveries_total"
    assert after.delta(before, deliveries, subscriber="probe.recorder", outcome="dead") == 1
    assert after.delta(before, deliveries, subscriber="probe.witness", outcome="delivered") == 1
    Delivery.objects.filter(status=Delivery.Status.DEAD).update(status=Delivery.Status.PENDING)
    assert (
        scrape(client).value("commerce_outbox_pending_deliveries", subscriber="probe.recorder") == 1
    )


def test_a_delivery_that_fails_and_will_be_retried_is_counted_as_failed(
    client, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        probe_happen(label="fails once", fail=True)
    after = scrape(client)
    deliveries = "commerce_outbox_deliveries_total"
    assert after.delta(before, deliveries, subscriber="probe.recorder", outcome="failed") == 1
    assert after.delta(before, deliveries, subscriber="probe.recorder", outcome="dead") == 0
    assert after.value("commerce_outbox_pending_deliveries", subscriber="probe.recorder") == 1


def test_without_a_database_the_scrape_still_answers(client, monkeypatch):
    def down():
        raise OperationalError("no database")

    monkeypatch.setattr(outbox_status, "snapshot", down)
    after = scrape(client)
    assert after.value("commerce_outbox_collect_success") == 0
    assert "commerce_http_requests_total" in {name for name, _ in after.samples}


COUNT_IN_A_PROCESS = """
import django; django.setup()
from kernel import metrics
metrics.count("probe_processes", process="any")
"""
SCRAPE = """
import django; django.setup()
from prometheus_client import generate_latest
from kernel import metrics
print(generate_latest(metrics.scrape_registry(with_outbox=False)).decode())
"""


def test_in_multiprocess_mode_a_scrape_adds_up_every_process(tmp_path):
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }

    def run(code: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout

    run(COUNT_IN_A_PROCESS)
    run(COUNT_IN_A_PROCESS)
    assert Scrape(run(SCRAPE)).value("commerce_probe_processes_total", process="any") == 2


def test_a_celery_worker_serves_its_metrics_on_its_own_port(settings, monkeypatch):
    served = []
    monkeypatch.setattr(
        taskhooks, "start_http_server", lambda port, registry: served.append((port, registry))
    )
    # What celery's worker_init signal calls (sending the signal itself would
    # also run Celery's Django fix-ups for a worker in this test process).
    settings.METRICS_WORKER_PORT = 0
    taskhooks._on_worker_init()
    assert served == []
    settings.METRICS_WORKER_PORT = 9187
    taskhooks._on_worker_init()
    [(port, registry)] = served
    assert port == 9187
    text = generate_latest(registry).decode()
    assert "commerce_celery_tasks_total" in text
    assert "commerce_outbox" not in text.replace("commerce_outbox_deliveries", "")
