"""The suite's own guards: a run that requires the services cannot pass by skipping."""

from pathlib import Path

import pytest
from _pytest.outcomes import Failed, Skipped

from conftest import require_chromium

NOWHERE = Path("/nonexistent/chromium")


def test_without_chromium_browser_tests_skip_in_an_ordinary_run(monkeypatch):
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(Skipped):
        require_chromium(NOWHERE)


def test_without_chromium_browser_tests_fail_when_services_are_required(monkeypatch):
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(Failed, match="REQUIRE_SERVICES=1"):
        require_chromium(NOWHERE)


def test_the_postgres_fixture_fails_rather_than_skips_elsewhere(request):
    from django.db import connection

    if connection.vendor == "postgresql":
        assert request.getfixturevalue("postgres") is connection
        return
    with pytest.raises(Failed, match="needs DATABASE_URL to point at PostgreSQL"):
        request.getfixturevalue("postgres")
