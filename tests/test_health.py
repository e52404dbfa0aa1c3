"""/healthz and /readyz: what an orchestrator and a load balancer see."""

import json
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from kernel.databases import all_databases

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens: refused at once


def body(response) -> dict:
    return json.loads(response.content)


def test_alive_touches_nothing_and_sets_no_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert body(response) == {"status": "alive"}
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"


def test_ready_when_every_dependency_answers(client, django_assert_max_num_queries):
    databases = all_databases()  # one, or one per context in split mode
    with django_assert_max_num_queries(len(databases)):  # SELECT 1 on each, nothing else
        response = client.get("/readyz")
    assert response.status_code == 200
    assert body(response)["status"] == "ready"
    assert body(response)["failed"] == []
    assert set(body(response)["checks"]) == {
        *(f"database:{alias}" for alias in databases),
        "cache:default",
        "broker",
    }
    assert not response.cookies


def test_probes_skip_host_checks_sessions_csrf_and_https_redirects(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        # An orchestrator probes the pod's IP, which ALLOWED_HOSTS does not list.
        response = client.get(path, headers={"Host": "10.1.2.3:8000"})
        assert response.status_code == 200, path
        assert not response.cookies
    assert client.post("/readyz").status_code == 405  # no CSRF token needed to be refused


def test_a_database_that_does_not_answer_makes_the_process_not_ready(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert body(response)["status"] == "not ready"
    assert body(response)["failed"] == ["database:default"]
    assert body(response)["checks"]["database:default"] == {
        "ok": False,
        "error": "OperationalError",
    }


def test_a_cache_that_does_not_answer_makes_the_process_not_ready(client):
    dead = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}
    with override_settings(CACHES={"default": dead}):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert body(response)["failed"] == ["cache:default"]


def test_a_broker_that_does_not_answer_makes_the_process_not_ready(client):
    with override_settings(CELERY_BROKER_URL=DEAD_REDIS):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert body(response)["failed"] == ["broker"]
    assert "127.0.0.1" not in response.content.decode()  # details go to the log only


def test_a_dependency_that_hangs_fails_its_check_within_the_timeout(client, settings):
    settings.READINESS_TIMEOUT_SECONDS = 0.2

    def hang():
        time.sleep(1)

    started = time.perf_counter()
    with mock.patch("commerce.health._broker", side_effect=hang):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert body(response)["checks"]["broker"] == {"ok": False, "error": "timeout"}
    assert time.perf_counter() - started < 0.8
