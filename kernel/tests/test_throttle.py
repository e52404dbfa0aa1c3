"""The client's address and the per-address request limit."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from kernel.throttle import allow, client_ip

factory = RequestFactory()


def test_the_address_is_remote_addr_unless_behind_trusted_proxies(settings):
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"  # a forged header changes nothing
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"  # what our proxy saw, not what the client wrote
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.1"  # fewer hops than proxies: not trusted


@pytest.fixture
def fresh_cache():
    cache.clear()


def test_allow_counts_per_scope_and_key(fresh_cache):
    assert [allow(scope="s", key="a", limit=2, period=60) for _ in range(3)] == [True, True, False]
    assert allow(scope="s", key="b", limit=2, period=60)
    assert allow(scope="t", key="a", limit=2, period=60)
    assert allow(scope="s", key="x" * 500 + " \x00", limit=1, period=60)  # any key
