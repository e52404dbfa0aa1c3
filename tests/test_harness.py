"""The suite's own guards: a run that requires the services cannot pass by skipping."""

from pathlib import Path

import pytest
from _pytest.outcomes import Failed, Skipped

from conftest import require_chromium
from tests import shards

NOWHERE = Path("/nonexistent/chromium")


def test_without_chromium_browser_tests_skip_in_an_ordinary_run(monkeypatch):
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(Skipped):
        require_chromium(NOWHERE)


def test_without_chromium_browser_tests_fail_when_services_are_required(monkeypatch):
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(Failed, match="REQUIRE_SERVICES=1"):
        require_chromium(NOWHERE)


@pytest.mark.django_db  # what it proves depends on the run's database: it runs in every run
def test_the_postgres_fixture_fails_rather_than_skips_elsewhere(request):
    from django.db import connection

    if connection.vendor == "postgresql":
        assert request.getfixturevalue("postgres") is connection
        return
    with pytest.raises(Failed, match="needs DATABASE_URL to point at PostgreSQL"):
        request.getfixturevalue("postgres")


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_the_shards_of_the_suite_run_every_test_exactly_once(count):
    tests = [f"test_{n}" for n in range(20)]
    run = [
        test
        for number in range(1, count + 1)
        for test in shards.split(tests, f"{number}/{count}")[0]
    ]
    assert sorted(run) == sorted(tests)
    kept, dropped = shards.split(tests, f"1/{count}")
    assert sorted(kept + dropped) == sorted(tests)
    assert len(kept) - len(shards.split(tests, f"{count}/{count}")[0]) <= 1  # dealt evenly


def test_several_shards_at_once_are_the_union_of_each():
    tests = [f"test_{n}" for n in range(20)]
    two_of_three = shards.split(tests, "2,3/3")[0]
    assert sorted(two_of_three) == sorted(
        shards.split(tests, "2/3")[0] + shards.split(tests, "3/3")[0]
    )


@pytest.mark.parametrize("shard", ["", "2", "0/2", "3/2", "a/b", "1/2/3", "1,/2", "1,4/3"])
def test_a_shard_that_is_not_k_of_n_is_refused(shard):
    with pytest.raises(ValueError, match=r"K/N|between 1 and N"):
        shards.split(["test_a"], shard)
