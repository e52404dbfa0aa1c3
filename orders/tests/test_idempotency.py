"""Idempotency-Key: replay, mismatch, in flight, expiry, release on failure."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from orders import idempotency
from orders.idempotency import idempotent
from orders.models import IdempotencyKey, Payment, SandboxCharge
from orders.tests.factories import place

pytestmark = pytest.mark.django_db

VISA = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2099, "cvc": "123"}


@pytest.fixture
def api(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def order(customer):
    return place(customer_id=customer.pk)


def failing_with(error: Exception):
    def fail(**kwargs):
        raise error

    return fail


def pay(api, order, body=None, key="k-1"):
    return api.post(
        f"/api/v1/orders/{order.number}/payments/",
        json.dumps(body or {"provider": "sandbox", "card": VISA}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_the_same_key_and_body_replays_the_stored_response_without_a_second_payment(api, order):
    first = pay(api, order)
    again = pay(api, order)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Payment.objects.count() == 1


def test_json_spacing_and_key_order_do_not_change_the_fingerprint(api, order):
    pay(api, order, {"provider": "sandbox", "card": VISA})
    reordered = pay(api, order, {"card": VISA, "provider": "sandbox"})
    assert reordered["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_a_422(api, order):
    pay(api, order)
    other = pay(api, order, {"provider": "bank_transfer"})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Payment.objects.count() == 1


def test_keys_are_scoped_to_the_customer(client, customer, other_customer, order):
    other_order = place(customer_id=other_customer.pk)
    client.force_login(customer)
    assert pay(client, order).status_code == 201
    client.force_login(other_customer)
    assert pay(client, other_order).status_code == 201  # same key, another customer: no clash
    assert Payment.objects.count() == 2


def test_a_request_still_in_flight_is_a_409_until_its_claim_goes_stale(api, order, customer):
    request = RequestFactory().post(
        f"/api/v1/orders/{order.number}/payments/",
        json.dumps({"provider": "sandbox", "card": VISA}),
        content_type="application/json",
    )
    claim = IdempotencyKey.objects.create(
        scope=f"user:{customer.pk}",
        key="k-1",
        fingerprint=idempotency.fingerprint_of(request),
        expires_at=timezone.now() + timedelta(hours=24),
    )

    busy = pay(api, order)
    assert busy.status_code == 409
    assert busy.json()["code"] == "idempotency_key_in_flight"

    IdempotencyKey.objects.filter(pk=claim.pk).update(
        created_at=timezone.now() - idempotency.IN_FLIGHT_TIMEOUT - timedelta(seconds=1)
    )
    assert pay(api, order).status_code == 201  # a crashed request's claim is taken over
    assert Payment.objects.count() == 1


def test_a_refused_request_releases_its_key_for_a_retry(client, clerk, customer, order):
    client.force_login(clerk)
    url = f"/api/v1/orders/{order.number}/refunds/"

    def refund():
        return client.post(
            url, {"reason": "x"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="r"
        )

    assert refund().status_code == 409  # not paid yet: a conflict with its state
    assert not IdempotencyKey.objects.exists()
    client.force_login(customer)
    pay(client, order)
    client.force_login(clerk)
    assert refund().status_code == 201


class Flaky(APIView):
    """Answers what the test queued, one answer per request that runs."""

    answers: list[Response] = []

    @idempotent
    def post(self, request):
        return self.answers.pop(0)


def call_flaky(customer):
    request = APIRequestFactory().post("/flaky/", {"x": 1}, format="json", HTTP_IDEMPOTENCY_KEY="f")
    force_authenticate(request, user=customer)
    return Flaky.as_view()(request)


def test_a_5xx_answer_releases_the_key_and_a_retry_runs_again(customer):
    Flaky.answers = [Response({"detail": "down"}, status=503), Response({"ok": 1}, status=201)]
    assert call_flaky(customer).status_code == 503
    assert not IdempotencyKey.objects.exists()
    retry = call_flaky(customer)
    assert retry.status_code == 201
    assert not retry.has_header("Idempotent-Replayed")  # it ran again, it was not replayed
    assert Flaky.answers == []
    assert call_flaky(customer)["Idempotent-Replayed"] == "true"  # the success is kept


def test_an_exception_releases_the_key_and_a_retry_runs_again(api, order, monkeypatch):
    from orders import rest

    real_start = rest.payments.payment_start
    monkeypatch.setattr(rest.payments, "payment_start", failing_with(ConnectionError("down")))
    api.raise_request_exception = False
    assert pay(api, order).status_code == 500
    assert not IdempotencyKey.objects.exists()
    assert not Payment.objects.exists()

    monkeypatch.setattr(rest.payments, "payment_start", real_start)
    retry = pay(api, order)
    assert retry.status_code == 201
    assert not retry.has_header("Idempotent-Replayed")
    assert Payment.objects.count() == 1


def test_a_declined_cards_402_is_stored_and_replayed_without_a_second_charge(api, order):
    declined = {"provider": "sandbox", "card": {**VISA, "number": "4000000000000002"}}
    first = pay(api, order, declined)
    again = pay(api, order, declined)
    assert first.status_code == again.status_code == 402
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert first.json()["status"] == "failed"
    assert Payment.objects.count() == SandboxCharge.objects.count() == 1


def test_a_missing_or_overlong_key_is_a_400(api, order):
    missing = api.post(
        f"/api/v1/orders/{order.number}/payments/", {}, content_type="application/json"
    )
    overlong = pay(api, order, key="k" * 256)
    assert missing.status_code == overlong.status_code == 400
    assert missing.json()["code"] == "idempotency_key_required"
    assert not Payment.objects.exists()


def test_keys_expire_after_the_ttl_and_are_purged(api, order, settings):
    pay(api, order)
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    call_command("purge_idempotency_keys")

    assert not IdempotencyKey.objects.exists()
    assert (
        pay(api, order, {"provider": "bank_transfer"}).status_code == 409
    )  # a new request now: the first payment is in progress
    assert settings.CELERY_BEAT_SCHEDULE["orders-idempotency-purge"]["task"] == (
        "orders.tasks.purge_idempotency_keys"
    )


def test_an_expired_key_is_not_replayed(api, order):
    pay(api, order)
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not pay(api, order).has_header("Idempotent-Replayed")


@pytest.mark.parametrize("form", [False, True], ids=["json", "multipart"])
def test_any_media_type_is_fingerprinted_after_the_csrf_check_parsed_the_body(
    customer, order, form
):
    """With CSRF enforced DRF parses the body before the view; the fingerprint uses raw bytes."""
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.force_login(customer)
    browser.get("/account/")  # a page with a form: sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    url = f"/api/v1/orders/{order.number}/payments/"
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-1", "HTTP_X_CSRFTOKEN": token}
    body = {"provider": "bank_transfer"}
    if form:
        sent = lambda: browser.post(url, body, **headers)  # noqa: E731
    else:
        sent = lambda: browser.post(url, body, "application/json", **headers)  # noqa: E731

    first, again = sent(), sent()

    if form:  # the API reads JSON only (docs/decisions/0015): nothing is paid
        assert first.status_code == again.status_code == 415
        assert not Payment.objects.exists()
        return
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Payment.objects.count() == 1
