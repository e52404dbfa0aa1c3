"""Settings come from the environment; production settings pass the deploy
check; bad configuration fails at start with one line naming the variable."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from commerce import config
from commerce.gunicorn import on_starting

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "shop.example.com",
    "HTTPS": "1",
    "DATABASE_URL": "sqlite:////tmp/commerce-deploy-check.sqlite3",
    "METRICS_TOKEN": secrets.token_urlsafe(32),
}


def inherited_environment() -> dict[str, str]:
    """This process's environment less what the test run itself sets."""
    own = {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if k not in own}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited_environment(), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_deploy_check_fails_without_https():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "HTTPS": "0"})
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "mongodb://localhost/shop"),
        ("DATABASE_URL", "postgres://localhost"),
        ("CACHE_URL", "memcached-ish://x"),
        ("CACHE_TIMEOUT_SECONDS", "0"),
        ("CELERY_BROKER_URL", "kafka://localhost:9092"),
        ("DEBUG", "perhaps"),
        ("CONN_MAX_AGE", "forever"),
        ("LOG_FORMAT", "xml"),
        ("READINESS_TIMEOUT_SECONDS", "soon"),
        ("METRICS_WORKER_PORT", "9187"),  # without PROMETHEUS_MULTIPROC_DIR
        ("FAULT_INJECTION", "recommendations=explode"),
    ],
)
def test_bad_configuration_fails_at_start_naming_the_variable(variable, value):
    result = manage("check", **{variable: value})
    assert result.returncode == 2
    assert result.stderr.startswith(f"Configuration error: {variable}")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_redis_cache_takes_a_failure_for_a_miss_and_answers_within_the_timeout(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://cache:6379/1")
    monkeypatch.setenv("CACHE_TIMEOUT_SECONDS", "0.25")
    assert config.cache("CACHE_URL", "", timeout_variable="CACHE_TIMEOUT_SECONDS") == {
        "BACKEND": "kernel.cache_backend.RedisCache",
        "LOCATION": "redis://cache:6379/1",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }


@pytest.mark.parametrize(
    ("environment", "variable"),
    [
        ({"SERVE": "reviews"}, "SERVE"),
        ({"PRICING_SERVICE_URL": "http://127.0.0.1:8001"}, "PRICING_SERVICE_SECRET"),
        ({"SERVE": "pricing", "PRICING_SERVICE_SECRET": "short"}, "PRICING_SERVICE_SECRET"),
        (
            {
                "SERVE": "pricing",
                "PRICING_SERVICE_SECRET": "s" * 32,
                "PRICING_SERVICE_URL": "http://127.0.0.1:8001",
            },
            "PRICING_SERVICE_URL",
        ),
    ],
)
def test_pricing_out_of_process_needs_a_secret_and_never_calls_itself(environment, variable):
    result = manage("check", **environment)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Configuration error: {variable}")


def test_debug_off_requires_a_real_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="shop.example.com")
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: SECRET_KEY")


def test_production_logs_are_json_lines_with_the_request_id():
    write = "import logging; logging.getLogger('orders.x').warning('placed %s', 'A1')"
    result = manage("shell", "-c", write, **PRODUCTION)
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "placed A1"
    assert (line["level"], line["logger"], line["request_id"]) == ("WARNING", "orders.x", "-")
    assert line["time"].endswith("+00:00")
    text = manage("shell", "-c", write, **{**PRODUCTION, "LOG_FORMAT": "text"})
    assert text.stderr.strip().endswith("WARNING orders.x [-] placed A1")


def test_fault_injection_is_refused_with_debug_off_unless_allowed():
    faulty = {**PRODUCTION, "FAULT_INJECTION": "recommendations=raise"}
    result = manage("check", **faulty)
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: FAULT_INJECTION")
    assert "FAULT_INJECTION_ALLOWED=1" in result.stderr
    result = manage("check", **faulty, FAULT_INJECTION_ALLOWED="1")
    assert result.returncode == 0, result.stderr


def _with_a_bad_database_url(*arguments: str) -> subprocess.CompletedProcess:
    """``python *arguments`` in the project, with ``DATABASE_URL`` set to nonsense."""
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env={**inherited_environment(), "DATABASE_URL": "nonsense"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_gunicorn_entry_point_fails_the_same_way():
    result = _with_a_bad_database_url("-c", "import commerce.wsgi")
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: DATABASE_URL")


@pytest.mark.parametrize(
    "command",
    [
        ("gunicorn", "-c", "python:commerce.gunicorn", "commerce.wsgi", "--bind", "127.0.0.1:0"),
        ("celery", "-A", "commerce", "worker", "--pool", "solo"),
        ("celery", "-A", "commerce", "beat"),
    ],
    ids=["gunicorn", "celery worker", "celery beat"],
)
def test_the_production_processes_stop_at_start_with_one_line(command):
    """As the README's production commands run them. gunicorn's master used to fork a
    worker that exited on the bad variable, then another, every second, for ever (never
    stopping, never serving); Celery stopped with a page of traceback."""
    result = _with_a_bad_database_url("-m", *command)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("Configuration error: DATABASE_URL")
    assert "Traceback" not in result.stderr
    assert "Booting worker" not in result.stderr


def test_gunicorn_starts_a_new_run_from_an_empty_metrics_directory(tmp_path, monkeypatch):
    (tmp_path / "counter_1234.db").write_bytes(b"old values")
    (tmp_path / "README").write_text("not ours")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    on_starting(server=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README"]


def test_api_origins_and_rates_come_from_the_environment():
    shown = "import json; from django.conf import settings as s; print(json.dumps(" \
        "[s.CORS_ALLOWED_ORIGINS, s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']]))"  # fmt: skip
    result = manage(
        "shell", "-c", shown,
        DJANGO_SETTINGS_MODULE="commerce.settings",
        CORS_ALLOWED_ORIGINS="https://app.example.com,https://m.example.com",
        API_THROTTLE_ANON="7/minute", API_THROTTLE_USER="8/minute",
        API_THROTTLE_AUTH="3/minute", API_THROTTLE_VOUCHERS="4/hour",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    origins, rates = json.loads(result.stdout.strip().splitlines()[-1])
    assert origins == ["https://app.example.com", "https://m.example.com"]
    assert rates == {
        "anon": "7/minute",
        "user": "8/minute",
        "auth": "3/minute",
        "vouchers": "4/hour",
    }
