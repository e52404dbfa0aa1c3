"""The Celery app: beat relays and purges the outbox, and tasks run with
the settings that make at-least-once delivery safe."""

import pytest
from django.conf import settings

from commerce.celery import app


@pytest.fixture(scope="module")
def registered_tasks() -> set[str]:
    # What a worker or beat process does at start: import every context's tasks.
    app.loader.import_default_modules()
    return set(app.tasks)


@pytest.mark.parametrize(
    ("entry", "task"),
    [
        ("outbox-relay", "kernel.tasks.relay_outbox"),
        ("outbox-purge", "kernel.tasks.purge_outbox"),
    ],
)
def test_beat_schedules_the_outbox_tasks_under_registered_names(registered_tasks, entry, task):
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] == task
    assert task in registered_tasks
    assert app.conf.beat_schedule[entry]["task"] == task


def test_the_relay_runs_often_and_a_late_relay_expires_instead_of_piling_up():
    relay = app.conf.beat_schedule["outbox-relay"]
    interval = settings.OUTBOX_RELAY_INTERVAL_SECONDS
    assert relay["schedule"].run_every.total_seconds() == interval
    assert relay["options"]["expires"] == 2 * interval


def test_deliveries_are_registered_for_the_relay_to_dispatch(registered_tasks):
    assert "kernel.tasks.deliver_event" in registered_tasks


def test_tasks_are_acked_late_and_requeued_when_a_worker_dies():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    # A redelivered task must not start while the first copy may still run.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_default_queue == "commerce"
