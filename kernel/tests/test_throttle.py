"""The client's address and the per-address request limit."""

import pytest
import redis
from django.core.cache import cache, caches
from django.test import RequestFactory

from kernel.throttle import allow, client_ip, counted, window_left
from tests.outages import live_redis_cache

factory = RequestFactory()


def test_the_address_is_remote_addr_unless_behind_trusted_proxies(settings):
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"  # a forged header changes nothing
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"  # what our proxy saw, not what the client wrote
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.1"  # fewer hops than proxies: not trusted


@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("6.6.6.6, garbage", "10.0.0.1"),
        ("1.2.3.4:5678", "10.0.0.1"),
        ("[2001:db8::1]", "10.0.0.1"),
        ("2001:DB8:0::1", "2001:db8::1"),
        ("6.6.6.6, 1.2.3.4 ", "1.2.3.4"),
    ],
)
def test_a_trusted_hop_that_is_not_an_address_is_the_peers(settings, forwarded, address):
    settings.TRUSTED_PROXY_COUNT = 1
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == address


@pytest.fixture
def fresh_cache():
    cache.clear()


def test_allow_counts_per_scope_and_key(fresh_cache):
    assert [allow(scope="s", key="a", limit=2, period=60) for _ in range(3)] == [True, True, False]
    assert allow(scope="s", key="b", limit=2, period=60)
    assert allow(scope="t", key="a", limit=2, period=60)
    assert allow(scope="s", key="x" * 500 + " \x00", limit=1, period=60)  # any key


@pytest.fixture(params=["local-memory", pytest.param("redis", marks=pytest.mark.services)])
def each_cache(request):
    if request.param == "redis":
        with live_redis_cache():
            yield
    else:
        cache.clear()
        yield


def test_a_window_counts_its_own_requests_and_the_next_starts_again(each_cache):
    assert [counted("k", 60, now=600.0) for _ in range(3)] == [1, 2, 3]
    assert counted("k", 60, now=659.9) == 4
    assert counted("k", 60, now=660.0) == 1  # the next minute
    assert counted("other", 60, now=600.0) == 1


@pytest.mark.services
def test_on_redis_a_window_is_one_command_and_expires_with_the_window(monkeypatch):
    commands = []
    execute = redis.Redis.execute_command

    def recorded(client, *args, **options):
        commands.append(args[0])
        return execute(client, *args, **options)

    with live_redis_cache():
        counted("k", 60)
        monkeypatch.setattr(redis.Redis, "execute_command", recorded)
        assert counted("k", 60) == 2
        assert commands == ["EVALSHA"]
        server = caches["default"]._cache.get_client()
        (key,) = server.keys("*:k:*")
        assert 0 < server.ttl(key) <= 60


@pytest.mark.parametrize(("now", "left"), [(7200.0, 3600), (7201.5, 3599), (10799.9, 1)])
def test_a_refusal_says_when_its_window_ends(now, left):
    """Retry-After is what is left of the fixed window that refused, never a whole period."""
    assert window_left(3600, now=now) == left
