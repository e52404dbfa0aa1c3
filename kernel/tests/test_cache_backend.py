"""kernel.cache_backend: a Redis that does not answer is an empty cache, cheaply and visibly."""

from __future__ import annotations

import logging
import time
from unittest import mock

import pytest
from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError

from kernel import cache_backend
from kernel.tests.scrape import in_process
from tests.outages import DEAD_REDIS, silent_server

ERRORS = "commerce_cache_errors_total"


def backend(location: str = DEAD_REDIS, **options) -> cache_backend.RedisCache:
    return cache_backend.RedisCache(location, {"OPTIONS": options})


def test_every_operation_answers_as_an_empty_cache_when_the_server_is_not_there():
    cache = backend()
    assert cache.get("k") is None
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert cache.get_or_set("k", "computed") == "computed"
    assert cache.add("k", 1) is False
    assert cache.set("k", 1) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # not kept: kernel.caching owes them
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.incr("counter") == 1  # a counter just started: rate limits fail open
    assert cache.decr("counter", 3) == -3
    assert cache.get_guarded("k", {"generation": "token"}) == (False, None)  # nothing holds
    assert cache.set_guarded("k", 1, {"generation": "token"}, 60) is None


def test_clear_and_ping_still_raise_they_are_asked_by_a_person_or_a_probe():
    cache = backend()
    with pytest.raises(RedisConnectionError):
        cache.ping()
    with pytest.raises(RedisConnectionError):
        cache.clear()


def test_after_failures_in_a_row_the_server_is_left_alone_then_tried_again():
    with mock.patch.object(cache_backend.RedisCache, "RETRY_AFTER_SECONDS", 3600):
        cache = backend()  # however slow this machine, it stays open for the test
    before = in_process()
    for _ in range(10):
        cache.get("k")
    failed = in_process()
    assert failed.delta(before, ERRORS, operation="read", reason="error") == 3
    assert failed.delta(before, ERRORS, operation="read", reason="skipped") == 7

    with mock.patch.object(cache_backend.RedisCache, "RETRY_AFTER_SECONDS", 0):
        cache = backend()  # its breaker tries again at once
    for _ in range(5):
        cache.set("k", 1)
    assert in_process().delta(failed, ERRORS, operation="write", reason="error") == 5


def test_an_error_that_is_not_the_servers_is_raised_and_does_not_count():
    cache = backend()
    before = in_process()
    with (
        mock.patch.object(django_redis.RedisCache, "incr", side_effect=ValueError("missing")),
        pytest.raises(ValueError, match="missing"),
    ):
        cache.incr("counter")
    assert in_process().delta(before, ERRORS) == 0


def test_an_outage_is_logged_once_a_minute_and_its_end_once(caplog, monkeypatch):
    monkeypatch.setattr(cache_backend, "_reports", cache_backend._Reports())  # a fresh process
    answers = [RedisConnectionError("refused")] * 50 + ["value"]
    caplog.set_level(logging.WARNING, logger="kernel.cache_backend")
    with mock.patch.object(django_redis.RedisCache, "get", side_effect=answers):
        with mock.patch.object(cache_backend.RedisCache, "RETRY_AFTER_SECONDS", 0):
            cache = backend()
        for _ in range(50):
            assert cache.get("k") is None
        assert cache.get("k") == "value"
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines
    assert lines[0].startswith("cache unavailable, served as empty: read ConnectionError: refused")
    assert lines[1] == "cache answers again (49 more operations had failed)"


def test_a_host_that_never_answers_costs_an_operation_its_socket_timeout():
    with silent_server() as location:
        cache = backend(location, socket_connect_timeout=0.2, socket_timeout=0.2)
        started = time.perf_counter()
        assert cache.get("k", "default") == "default"
        assert time.perf_counter() - started < 5  # generous: without a timeout, it waits on


def test_a_write_the_server_missed_is_deleted_before_anything_once_it_answers(monkeypatch):
    """Else a kept old value (a logged-out session, an old price) is served after the outage."""
    monkeypatch.setattr(cache_backend.RedisCache, "RETRY_AFTER_SECONDS", 0)
    cache = backend()
    down = RedisConnectionError("down")
    with (
        mock.patch.object(django_redis.RedisCache, "set", side_effect=down),
        mock.patch.object(django_redis.RedisCache, "delete_many", side_effect=down),
    ):
        cache.set("session", "logged out")
        cache.delete_many(["price", "stock"])
    deleted: list[str] = []
    with (
        mock.patch.object(cache._cache, "delete_many", side_effect=down),
        mock.patch.object(django_redis.RedisCache, "get", return_value="old"),
    ):
        assert cache.get("other") is None  # paying failed: still down, still owed
    with (
        mock.patch.object(cache._cache, "delete_many", side_effect=deleted.extend),
        mock.patch.object(django_redis.RedisCache, "get", return_value="fresh"),
    ):
        assert cache.get("other") == "fresh"
        assert sorted(deleted) == sorted(cache.make_key(k) for k in ("session", "price", "stock"))
        cache.get("other")
    assert len(deleted) == 3  # paid once


def test_one_redis_client_serves_every_command_of_a_pool():
    """Django's client would make one per command (its callback table each time)."""
    clients = backend()._cache
    assert clients.get_client("a") is clients.get_client("b")
    assert clients.get_client("a", write=True) is clients.get_client("a")  # one server
