"""Pointing this test process's Celery app at a broker, and back.

The app reads Django settings once and caches its connection pools, so
overriding ``CELERY_BROKER_URL`` alone would change nothing: the app's own
configuration is changed too and its pools are dropped, then restored.
"""

from collections.abc import Callable

import pytest
from celery import current_app
from kombu import pools

#: The project's Celery app, found without importing the project: the kernel
#: sits below it (a worker started with ``-A commerce`` has the same one).
app = current_app._get_current_object()

#: A port nothing listens on: connections are refused at once.
DEAD_BROKER_URL = "redis://127.0.0.1:1/0"


def _drop_connection_pools() -> None:
    # The app keeps kombu's process-wide pools, keyed by broker URL; what a
    # forked worker process does (Celery._after_fork) without the fork.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def use_broker(settings) -> Callable[[str], None]:
    """Call with a broker URL: from then on this process sends tasks there."""
    original = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}

    def use(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.update(broker_url=url, task_always_eager=False)
        _drop_connection_pools()

    yield use
    app.conf.update(original)
    _drop_connection_pools()


@pytest.fixture
def retries_for_a_minute():
    """Make any retrying of a dead broker take a minute, so "does not wait" is
    proven by a bound (10 s) that a loaded machine keeps and a retry cannot."""
    slow = {
        "broker_connection_timeout": 60,
        "broker_connection_max_retries": 1000,
        "task_publish_retry_policy": {
            "max_retries": 60,
            "interval_start": 1,
            "interval_step": 0,
            "interval_max": 1,
        },
    }
    original = {name: app.conf[name] for name in slow}
    app.conf.update(slow)
    yield
    app.conf.update(original)
