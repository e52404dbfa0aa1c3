"""Pricing out of process when its service fails: timeouts, retries, the breaker, lost answers.

The client is the real one (``pricing.remote``); between it and pricing's
real service (a live server on loopback) stands ``FaultyService``, which
stalls, answers 503 or loses an answer after the service acted. Pauses
between retries are skipped and the breaker's clock is moved by hand, so
nothing here waits but the read timeout of the stalled calls.
"""

from __future__ import annotations

import pytest

from kernel.remote.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from kernel.remote.client import RemoteCallError, ServiceUnavailable
from pricing import api
from pricing.dtos import BasketLine, Customer, PromotionSpec, VoucherRejected
from pricing.models import Voucher, VoucherRedemption
from pricing.tests.conftest import eur
from pricing.tests.remote import SECRET, Clock, FaultyService, remote_api

PRICES = "/internal/pricing/v1/prices_for"
BATCH = "/internal/pricing/v1/ensure_voucher_batch"
REDEEM = "/internal/pricing/v1/redeem_vouchers"
ONE_TEA = BasketLine("TEA-1", 1)


def prices(functions) -> dict:
    return functions["prices_for"](skus=["TEA-1"], currency="EUR")


def batch(functions) -> list[str]:
    return functions["ensure_voucher_batch"](promotion_slug="welcome", batch="mailing", count=2)


def test_a_stalled_service_times_out_and_only_idempotent_calls_are_tried_again():
    with (
        FaultyService(mode="stall") as service,
        remote_api(service.url, retries=2, read_timeout=0.2) as functions,
    ):
        with pytest.raises(ServiceUnavailable):
            prices(functions)
        assert service.paths == [PRICES] * 3
        with pytest.raises(ServiceUnavailable):
            batch(functions)
        assert service.paths == [PRICES] * 3 + [BATCH]


def test_a_503_is_retried_for_idempotent_calls_only():
    with (
        FaultyService(mode="unavailable") as service,
        remote_api(service.url, retries=3) as functions,
    ):
        with pytest.raises(ServiceUnavailable):
            prices(functions)
        with pytest.raises(ServiceUnavailable):
            batch(functions)
    assert service.paths == [PRICES] * 4 + [BATCH]


def test_an_unreachable_service_is_unavailable():
    with FaultyService() as service:
        url = service.url  # nothing listens there any more once it stopped
    with remote_api(url, retries=1) as functions, pytest.raises(ServiceUnavailable):
        prices(functions)


@pytest.fixture
def pricing_service(live_server, settings, shop):
    """Pricing's real service on a live server, with a voucher promotion."""
    settings.PRICING_SERVICE_SECRET = SECRET
    api.upsert_promotion(spec=_welcome())
    api.upsert_voucher(code="WELCOME", promotion_slug="welcome", usage_limit=5)
    return live_server.url


def _welcome() -> PromotionSpec:
    return PromotionSpec(
        slug="welcome",
        name="Welcome",
        reason="5 off",
        kind="fixed",
        scope="order",
        amount=eur("5.00"),
        requires_voucher=True,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("commerce.urls_pricing")
def test_the_breaker_opens_fails_fast_and_closes_after_a_good_probe(pricing_service):
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown=10, clock=clock)
    with (
        FaultyService(upstream=pricing_service, mode="unavailable") as service,
        remote_api(service.url, retries=0, breaker=breaker) as functions,
    ):
        for _ in range(3):
            with pytest.raises(ServiceUnavailable):
                prices(functions)
        assert (breaker.state, len(service.paths)) == (OPEN, 3)

        with pytest.raises(ServiceUnavailable, match="circuit open"):
            prices(functions)
        assert len(service.paths) == 3  # failed fast: the service was not asked

        clock.now += 10  # the cooldown is over: one probe, which fails
        assert breaker.state == HALF_OPEN
        with pytest.raises(ServiceUnavailable):
            prices(functions)
        assert (breaker.state, len(service.paths)) == (OPEN, 4)

        clock.now += 10  # the service is back: the probe closes the breaker
        service.mode = "forward"
        assert prices(functions) == api.prices_for(skus=["TEA-1"], currency="EUR")
        assert breaker.state == CLOSED
        prices(functions)
        assert len(service.paths) == 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("commerce.urls_pricing")
def test_refusals_are_answers_not_failures(pricing_service):
    breaker = CircuitBreaker(threshold=2, cooldown=10, clock=Clock())
    with remote_api(pricing_service, breaker=breaker) as functions:
        for _ in range(3):
            with pytest.raises(VoucherRejected):
                functions["quote"](lines=[ONE_TEA], currency="EUR", voucher_codes=["BOGUS"])
    assert breaker.state == CLOSED


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("commerce.urls_pricing")
def test_a_redemption_whose_answer_was_lost_is_retried_and_redeems_once(pricing_service):
    with (
        FaultyService(upstream=pricing_service, mode="lose_answer") as service,
        remote_api(service.url, retries=2) as functions,
    ):
        claims = functions["redeem_vouchers"](
            codes=["WELCOME"], order_ref="ORDER-1", customer=Customer(7), subtotal=eur("30.00")
        )
    assert service.paths == [REDEEM, REDEEM]  # the first attempt redeemed; its answer was lost
    assert [(c.code, c.order_ref, c.customer_id) for c in claims] == [("WELCOME", "ORDER-1", 7)]
    assert VoucherRedemption.objects.filter(order_ref="ORDER-1").count() == 1
    assert Voucher.objects.get(code="WELCOME").times_used == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("commerce.urls_pricing")
def test_a_call_that_is_not_idempotent_is_not_retried_after_a_lost_answer(pricing_service):
    with (
        FaultyService(upstream=pricing_service, mode="lose_answer") as service,
        remote_api(service.url, retries=2) as functions,
    ):
        with pytest.raises(ServiceUnavailable):
            batch(functions)
        assert service.paths == [BATCH]
        assert batch(functions) == api.ensure_voucher_batch(
            promotion_slug="welcome", batch="mailing", count=2
        )
    assert Voucher.objects.filter(batch="mailing").count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("commerce.urls_pricing")
@pytest.mark.parametrize("secret", ["", "wrong" * 10, SECRET + "x"])
def test_the_service_answers_only_the_shared_secret(pricing_service, secret):
    with (
        remote_api(pricing_service, secret=secret) as functions,
        pytest.raises(RemoteCallError, match="HTTP 401"),
    ):
        prices(functions)


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("commerce.urls_pricing")
def test_a_service_without_a_secret_answers_nobody(pricing_service, settings):
    settings.PRICING_SERVICE_SECRET = ""
    with (
        remote_api(pricing_service, secret="") as functions,
        pytest.raises(RemoteCallError, match="HTTP 401"),
    ):
        prices(functions)


@pytest.mark.urls("commerce.urls_pricing")
@pytest.mark.parametrize(
    "call",
    [
        ("prices_for", "not json", 400),
        ("prices_for", '{"skus": ["TEA-1"]}', 400),
        ("prices_for", '{"arguments": {"skus": ["TEA-1"]}}', 400),
        ("prices_for", '{"arguments": {"skus": ["TEA-1"], "currency": "EUR", "x": 1}}', 400),
        ("set_tax_rate", '{"arguments": {"country": "DE", "tax_class": "a", "rate": "x"}}', 400),
        ("no_such_function", '{"arguments": {}}', 404),
    ],
)
@pytest.mark.django_db
def test_malformed_calls_get_a_4xx_naming_the_problem(client, settings, call):
    path, body, status = call
    settings.PRICING_SERVICE_SECRET = SECRET
    response = client.post(
        f"/internal/pricing/v1/{path}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {SECRET}"},
    )
    assert response.status_code == status
    assert response.json()["detail"]


@pytest.mark.urls("commerce.urls_pricing")
def test_the_service_takes_posts_only(client, settings):
    settings.PRICING_SERVICE_SECRET = SECRET
    response = client.get(
        "/internal/pricing/v1/prices_for", headers={"Authorization": f"Bearer {SECRET}"}
    )
    assert response.status_code == 405


@pytest.mark.urls("commerce.urls_pricing")
@pytest.mark.parametrize("path", ["/", "/products/anything/", "/internal/pricing/v2/quote"])
def test_the_service_answers_any_other_address_with_a_json_404(client, settings, path):
    settings.DEBUG = False
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "no such endpoint"}
