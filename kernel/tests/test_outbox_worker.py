"""The outbox through the real Redis broker and a real Celery worker.

One worker process per module (started once, about 2 s), consuming the
``commerce`` queue on the Redis database of ``TEST_REDIS_URL`` (each run
its own, so parallel runs never take each other's tasks) and reading and
writing the very test database this process uses, so the tests commit for real
(``transactional_db``) and poll for the worker's effects. The worker runs
one task at a time (solo pool, prefetch 1), so tasks sent in one order are
handled in that order: a task sent last is a sentinel that proves the ones
before it were handled.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse

from kernel.models import Delivery, OutboxEvent
from kernel.tasks import deliver_event, relay_outbox
from kernel.tests.conftest import DEAD_BROKER_URL
from kernel.tests.probes import fanned_out, receipts
from tests.probe.events import ProbeHappened
from tests.probe.handlers import RECORDER, WITNESS
from tests.probe.models import Receipt
from tests.probe.services import ProbeAborted, probe_happen

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

#: A bound on waiting for the worker, far above its usual second: a loaded machine keeps it.
WAIT_SECONDS = 60


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path
    broker_url: str

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        """Poll ``condition`` until it holds; fail with the worker's log if it never does."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited while waiting for {what}:\n{self.log.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} after {WAIT_SECONDS}s; worker log:\n{self.log.read_text()}")
            time.sleep(0.05)


def broker_url() -> str:
    """The run's own Redis database: the worker's queue, emptied when the worker starts."""
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


def worker_database_env() -> dict[str, str]:
    """DATABASE_URL, and DATABASE_URL_<CONTEXT> in split mode, naming the test databases."""
    return {
        "DATABASE_URL" if alias == "default" else f"DATABASE_URL_{alias.upper()}": _url(alias)
        for alias in connections
    }


def _url(alias: str) -> str:
    db = connections[alias].settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST']}{port}/{quote(db['NAME'])}"


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory) -> Worker:
    if connection.vendor != "postgresql":
        pytest.fail("the worker tests share the test database with a worker: PostgreSQL only")
    url = broker_url()
    broker = redis.Redis.from_url(url)
    broker.flushdb()  # nothing left over from an earlier, interrupted run
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_BROKER_URL": url,
        **worker_database_env(),
    }
    command = [
        *(sys.executable, "-m", "celery", "-A", "commerce", "worker"),
        *("--pool=solo", "--concurrency=1", "-Q", "commerce"),
        *("--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"),
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    yield Worker(process=process, log=log, broker_url=url)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    broker.flushdb()


@pytest.fixture
def via_worker(worker, use_broker) -> Worker:
    """This process sends its tasks to the worker's broker instead of running them."""
    use_broker(worker.broker_url)
    return worker


def assert_ran_in(worker: Worker) -> None:
    assert set(Receipt.objects.values_list("pid", flat=True)) == {worker.process.pid}


def status_of(delivery: Delivery) -> tuple[str, int]:
    delivery.refresh_from_db()
    return delivery.status, delivery.attempts


def test_a_committed_event_reaches_its_subscribers_through_the_worker(via_worker):
    probe_happen(label="via the worker")
    event = OutboxEvent.objects.get()

    via_worker.wait_for(
        lambda: Delivery.objects.filter(event=event, status=Delivery.Status.DELIVERED).count() == 2,
        "this event's two deliveries delivered",
    )
    assert receipts(RECORDER) == ["via the worker"]
    assert receipts(WITNESS) == ["via the worker"]
    assert_ran_in(via_worker)


def test_a_delivery_sent_twice_or_redelivered_takes_effect_once(via_worker):
    twice = fanned_out(ProbeHappened(label="twice"))[RECORDER]
    sentinel = fanned_out(ProbeHappened(label="sentinel"))[RECORDER]

    deliver_event.delay(twice.pk)
    deliver_event.delay(twice.pk)
    deliver_event.delay(sentinel.pk)
    via_worker.wait_for(lambda: status_of(sentinel)[0] == Delivery.Status.DELIVERED, "sentinel")
    assert sorted(receipts()) == ["sentinel", "twice"]
    assert status_of(twice) == (Delivery.Status.DELIVERED, 1)

    # As after a lost acknowledgement or an operator's retry: pending again.
    Delivery.objects.filter(pk=twice.pk).update(status=Delivery.Status.PENDING)
    deliver_event.delay(twice.pk)
    via_worker.wait_for(lambda: status_of(twice)[0] == Delivery.Status.DELIVERED, "redelivery")
    assert status_of(twice) == (Delivery.Status.DELIVERED, 2)
    assert sorted(receipts()) == ["sentinel", "twice"], "the inbox stopped the second run"
    assert_ran_in(via_worker)


def test_a_rolled_back_transaction_publishes_nothing(via_worker):
    with pytest.raises(ProbeAborted):
        probe_happen(label="rolled back", abort=True)
    assert not OutboxEvent.objects.exists()

    probe_happen(label="sentinel")
    via_worker.wait_for(lambda: receipts(WITNESS) == ["sentinel"], "the sentinel's effect")
    via_worker.wait_for(lambda: receipts(RECORDER) == ["sentinel"], "the sentinel's effect")
    assert OutboxEvent.objects.count() == 1


@pytest.mark.urls("tests.probe.urls")
def test_with_the_broker_down_a_request_that_publishes_succeeds_and_delivery_waits(
    worker, use_broker, retries_for_a_minute, client
):
    use_broker(DEAD_BROKER_URL)
    started = time.monotonic()
    response = client.post(reverse("probe-happen"), {"label": "during the outage"})
    elapsed = time.monotonic() - started

    assert response.status_code == 204
    assert elapsed < 10, f"the request took {elapsed:.2f}s with the broker down (retried?)"
    assert OutboxEvent.objects.get().fanned_out_at is None, "the event waits in the outbox"
    assert not Delivery.objects.exists()

    use_broker(worker.broker_url)  # the broker is back
    relay_outbox.delay()  # what beat sends every OUTBOX_RELAY_INTERVAL_SECONDS
    worker.wait_for(lambda: receipts(RECORDER) == ["during the outage"], "the late delivery")
    worker.wait_for(lambda: receipts(WITNESS) == ["during the outage"], "the late delivery")
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.DELIVERED}
    assert_ran_in(worker)
