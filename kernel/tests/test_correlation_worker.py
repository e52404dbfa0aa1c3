"""A request's id in a real Celery worker, on PostgreSQL and Redis.

The worker (solo pool) reads the test database and writes JSON log lines
at DEBUG to a file; the tests commit for real and read the worker's lines.
Redis: the database of ``TEST_REDIS_URL``, so parallel runs keep apart.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from kernel.models import Delivery
from kernel.tests.probes import receipts
from kernel.tests.test_outbox_worker import Worker, worker_database_env
from tests.probe.handlers import RECORDER, WITNESS

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def json_logging_worker(django_db_setup, tmp_path_factory) -> Worker:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    broker = redis.Redis.from_url(url)
    broker.flushdb()
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_BROKER_URL": url,
        **worker_database_env(),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "DEBUG",
    }
    command = [
        *(sys.executable, "-m", "celery", "-A", "commerce", "worker"),
        *("--pool=solo", "--concurrency=1", "-Q", "commerce"),
        *("--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "debug"),
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    yield Worker(process=process, log=log, broker_url=url)
    process.terminate()
    process.wait(timeout=10)
    broker.flushdb()


def json_lines(worker: Worker) -> list[dict]:
    lines = []
    for line in worker.log.read_text().splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


@pytest.mark.urls("tests.probe.urls")
def test_the_worker_runs_a_requests_tasks_and_deliveries_under_its_id(
    json_logging_worker, use_broker, client
):
    worker = json_logging_worker
    use_broker(worker.broker_url)
    response = client.post(
        reverse("probe-happen"), {"label": "followed"}, headers={"X-Request-ID": "req-worker-1"}
    )
    assert response["X-Request-ID"] == "req-worker-1"
    worker.wait_for(
        lambda: Delivery.objects.filter(status=Delivery.Status.DELIVERED).count() == 2,
        "both deliveries",
    )
    assert receipts(RECORDER) == receipts(WITNESS) == ["followed"]
    lines = json_lines(worker)
    # The nudge, a task this request sent: its id came in the message's header.
    relayed = [
        line
        for line in lines
        if line["logger"] == "kernel.taskhooks"
        and line["message"].startswith("task kernel.tasks.relay_outbox SUCCESS")
    ]
    assert [line["request_id"] for line in relayed] == ["req-worker-1"]
    # The deliveries: their id came with the event.
    delivered = [line for line in lines if line["message"].startswith("delivered probe")]
    assert len(delivered) == 2
    assert {line["request_id"] for line in delivered} == {"req-worker-1"}
