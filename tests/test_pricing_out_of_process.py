"""The storefront with pricing out of process and its service down: browse pages fall back.

``pricing.api``'s functions are replaced by the client stubs it becomes
with ``PRICING_SERVICE_URL`` (``pricing.tests.remote.remote_api``), aimed at
a service that answers 503: pages render with "Price unavailable" and
nothing purchasable, as when pricing fails in process; once the breaker is
open they do not even ask.
"""

from __future__ import annotations

import pytest

from kernel.remote.breaker import OPEN, CircuitBreaker
from pricing import api as pricing_api
from pricing.tests.remote import Clock, FaultyService, remote_api

PAGES = ["/", "/c/clothing/", "/search/?q=sweater", "/products/wool-sweater-sw-1/"]


@pytest.fixture
def pricing_down(shop, monkeypatch):
    """pricing.api as a client of a service that answers 503; yields (service, breaker)."""
    breaker = CircuitBreaker(threshold=3, cooldown=60, clock=Clock())
    with (
        FaultyService(mode="unavailable") as service,
        remote_api(service.url, retries=1, breaker=breaker) as functions,
    ):
        for name, stub in functions.items():
            monkeypatch.setattr(pricing_api, name, stub)
        yield service, breaker


@pytest.mark.parametrize("url", PAGES)
def test_browse_pages_show_price_unavailable_when_the_service_is_down(client, pricing_down, url):
    service, _ = pricing_down
    response = client.get(url)
    assert response.status_code == 200
    assert "Price unavailable" in response.content.decode()
    assert service.paths  # the page did ask pricing's service


def test_once_the_breaker_is_open_pages_no_longer_wait_for_the_service(client, pricing_down):
    service, breaker = pricing_down
    client.get(PAGES[-1])
    assert breaker.state == OPEN
    asked = len(service.paths)
    response = client.get(PAGES[-1])
    assert response.status_code == 200
    assert "Price unavailable" in response.content.decode()
    assert len(service.paths) == asked
