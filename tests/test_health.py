"""/healthz and /readyz: what an orchestrator and a load balancer see."""

import json
import threading
import time
from unittest import mock

import pytest
from django.test import Client, override_settings

from commerce import health
from kernel import correlation
from kernel.databases import all_databases
from tests.outages import DEAD_REDIS, shop_cache, stopped_database

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("alias", all_databases())
def test_a_stopped_database_makes_the_process_not_ready(client, alias):
    with stopped_database(alias):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert body(response)["status"] == "not ready"
    assert body(response)["failed"] == [f"database:{alias}"]
    assert body(response)["checks"][f"database:{alias}"] == {
        "ok": False,
        "error": "OperationalError",
    }
    assert client.get("/healthz").status_code == 200  # alive all the same


@pytest.mark.parametrize(
    "caches",
    [
        {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": DEAD_REDIS,
            }
        },
        shop_cache(DEAD_REDIS),  # which takes a failure for a miss, but not here
    ],
)
def test_a_stopped_cache_makes_the_process_not_ready(client, caches):
    with override_settings(CACHES=caches):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert body(response)["failed"] == ["cache:default"]
    assert body(response)["checks"]["cache:default"]["error"] == "ConnectionError"


def test_a_stopped_broker_makes_the_process_not_ready(client):
    with override_settings(CELERY_BROKER_URL=DEAD_REDIS):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert body(response)["failed"] == ["broker"]
    assert "127.0.0.1" not in response.content.decode()  # details go to the log only


def test_not_ready_is_a_warning_naming_the_check_not_an_error_per_probe(client, caplog):
    """An orchestrator probes every few seconds through a whole outage: an ERROR line each
    time (Django's for any 5xx) would page on what the readiness alert already covers."""
    with override_settings(CELERY_BROKER_URL=DEAD_REDIS), caplog.at_level("INFO"):
        for _ in range(3):
            assert client.get("/readyz").status_code == 503
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert sum("readiness check broker failed" in text for text in warnings) == 3


def test_a_dependency_that_hangs_fails_its_check_and_is_not_asked_again_meanwhile(client, settings):
    """Each probe answers within the timeout; the hung check runs once, not once per probe."""
    settings.READINESS_TIMEOUT_SECONDS = 0.2
    calls, answer = [], threading.Event()

    def hang():
        calls.append(1)
        answer.wait(timeout=30)

    started = time.perf_counter()
    with mock.patch("commerce.health._broker", side_effect=hang):
        try:
            for _ in range(3):
                response = client.get("/readyz")
                assert response.status_code == 503
                assert body(response)["checks"]["broker"] == {"ok": False, "error": "timeout"}
            assert time.perf_counter() - started < 10  # three timeouts, not three hangs
            assert len(calls) == 1
        finally:
            answer.set()
        health._runs["broker"].result(timeout=30)  # the hung run finishes...
        assert client.get("/readyz").status_code == 200  # ...and the next probe asks again
    assert len(calls) == 2


HOSTILE_HEADERS = [
    {"X-Request-ID": "x" * 10_240},
    {"X-Request-ID": "a\r\nSet-Cookie: evil=1"},
    {"traceparent": f"00-{'z' * 32}-{'1' * 16}-01"},
    {"traceparent": "00-" + "f" * 10_000},
    {"Host": "10.0.0.7:99999"},
    {"Authorization": "Bearer \xff" + "x" * 10_000},
    {"Content-Type": "application/json", "Content-Length": "999999999"},
]
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PROPFIND")


@pytest.mark.parametrize("token", ["", "s3cret-token"])
@pytest.mark.parametrize(
    "path", ["/healthz", "/readyz", "/metrics", "/metrics?" + "a=%ff&b[]=1&" * 200]
)
def test_no_method_query_or_header_makes_a_probe_fail(settings, path, token):
    """Odd methods are refused with a 405, odd headers are ignored, nothing hostile is echoed:
    the answer's request id is a fresh one."""
    settings.METRICS_TOKEN = token
    client = Client(raise_request_exception=False)
    for headers in HOSTILE_HEADERS:
        for method in METHODS:
            response = client.generic(method, path, headers=headers)
            expected = {200, 401, 403} if method in ("GET", "HEAD") else {405}
            assert response.status_code in expected, (method, headers)
            assert correlation.sane_request_id(response["X-Request-ID"]), (method, headers)
            assert response["X-Request-ID"] not in str(headers)
            assert not response.cookies


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_answers_with_the_callers_request_id_as_every_request_does(client, path):
    assert client.get(path, headers={"X-Request-ID": "probe-7"})["X-Request-ID"] == "probe-7"
    traced = client.get(path, headers={"traceparent": f"00-{'4b' * 16}-{'00' * 7}b7-01"})
    assert traced["X-Request-ID"] == "4b" * 16
    assert correlation.sane_request_id(client.get(path)["X-Request-ID"])  # a new one
