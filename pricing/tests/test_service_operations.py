"""Pricing's own process as its operators see it: probes, metrics, and the caller's request id.

In process: the service's URLs (``commerce.urls_pricing``, what
``SERVE=pricing`` serves) answered by Django's test client, and the real
client stubs (``pricing.tests.remote.remote_api``) whose HTTP requests are
handed to that test client instead of a socket. The request id is bound
by the service's own middleware from what arrived, so the id it echoes is
the caller's only if the caller sent it.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
import requests
from django.test import Client

from kernel import correlation
from kernel.databases import all_databases, database_of
from kernel.tests.scrape import scrape
from pricing.tests.remote import SECRET, remote_api
from tests.outages import stopped_database

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("commerce.urls_pricing"),
    pytest.mark.usefixtures("shop"),
]
SERVICE_ROUTE = "/internal/pricing/v1/<str:function>"


@pytest.fixture
def calls(monkeypatch, settings) -> list[tuple[dict, dict]]:
    """Every HTTP call the stubs make, answered in process: (request headers, answer headers)."""
    settings.PRICING_SERVICE_SECRET = SECRET
    made: list[tuple[dict, dict]] = []

    def send(adapter, request, **_options) -> requests.Response:
        sent = dict(request.headers)
        answer = Client().generic(
            request.method,
            urllib.parse.urlsplit(request.url).path,
            data=request.body,
            content_type=sent.pop("Content-Type"),
            headers={k: v for k, v in sent.items() if k != "Content-Length"},
        )
        response = requests.Response()
        response.status_code, response._content = answer.status_code, answer.content
        response.headers.update(answer.headers)
        response.url, response.request = request.url, request
        made.append((dict(request.headers), dict(answer.headers)))
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return made


def test_the_service_answers_the_probes_and_is_not_ready_without_its_database(client):
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert {f"database:{alias}" for alias in all_databases()} <= set(
        json.loads(ready.content)["checks"]
    )
    with stopped_database(database_of("pricing")):
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200


def test_a_call_carries_the_callers_request_id_into_the_service_and_its_metrics(client, calls):
    before = scrape(client)
    with remote_api("http://pricing.internal") as functions, correlation.bound("page-7f3a"):
        prices = functions["prices_for"](skus=["TEA-1"], currency="EUR")
    assert str(prices["TEA-1"].price.amount) == "10.00"
    [(sent, answered)] = calls
    assert sent["X-Request-ID"] == "page-7f3a"
    assert answered["X-Request-ID"] == "page-7f3a"  # the service worked under the caller's id
    after = scrape(client)
    assert (
        after.delta(before, "commerce_http_requests_total", route=SERVICE_ROUTE, status="200") == 1
    )
    assert after.delta(before, "commerce_remote_calls_total", context="pricing", outcome="ok") == 1


def test_a_call_outside_any_request_lets_the_service_make_its_own_id(calls):
    with remote_api("http://pricing.internal") as functions:
        functions["prices_for"](skus=["TEA-1"], currency="EUR")
    [(sent, answered)] = calls
    assert "X-Request-ID" not in sent
    assert correlation.sane_request_id(answered["X-Request-ID"])
