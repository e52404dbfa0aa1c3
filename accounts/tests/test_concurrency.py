"""Parallel requests on PostgreSQL, each thread with its own connection: a race is
answered as the same requests one after another would be, never with a 500."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from knox.models import AuthToken

from accounts.models import Address
from accounts.tests.test_address_book import BERLIN
from kernel.tests.parallel import parallel_threads, run_in_parallel

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def parallel(postgres):
    with parallel_threads(wanted=8, at_least=4) as count:
        yield count


def test_parallel_sign_ups_with_one_email_make_one_account(parallel, settings):
    settings.SIGN_UP_LIMIT_PER_HOUR = 100
    body = json.dumps(
        {"email": "Ada@Example.com", "password": "a long enough passphrase",
         "first_name": "Ada", "last_name": "Lovelace"}
    )  # fmt: skip

    def sign_up(i, client):
        answer = client.post("/api/v1/auth/sign-up/", body, content_type="application/json")
        return answer.status_code, answer.json()

    answers = run_in_parallel([Client() for _ in range(parallel)], sign_up)
    assert sorted(status for status, _ in answers) == [201] + [422] * (parallel - 1)
    refusals = [body for status, body in answers if status == 422]
    assert all(set(body["errors"]) == {"email"} for body in refusals), refusals
    assert get_user_model().objects.count() == 1


def test_parallel_saves_of_default_addresses_leave_one_default(parallel, customer):
    def save(i, client):
        client.force_login(customer)
        address = {"address": BERLIN, "is_default_shipping": True, "is_default_billing": True}
        answer = client.post(
            "/api/v1/accounts/addresses/", json.dumps(address), content_type="application/json"
        )
        return answer.status_code

    assert run_in_parallel([Client() for _ in range(parallel)], save) == [201] * parallel
    addresses = Address.objects.filter(customer_id=customer.pk)
    assert addresses.count() == parallel
    assert addresses.filter(is_default_shipping=True).count() == 1
    assert addresses.filter(is_default_billing=True).count() == 1


def test_parallel_rotations_of_one_token_leave_one_working_token(parallel, customer):
    """Each rotation that authenticated before the first one committed used to mint one."""
    customer.set_password("correct horse battery staple")
    customer.save()
    signed_in = Client().post(
        "/api/v1/auth/sign-in/",
        json.dumps({"email": customer.email, "password": "correct horse battery staple"}),
        content_type="application/json",
    )
    old = signed_in.json()["token"]

    def rotate(i, client):
        answer = client.post(
            "/api/v1/auth/token/rotate/", headers={"Authorization": f"Token {old}"}
        )
        return answer.status_code, answer.json().get("token")

    answers = run_in_parallel([Client() for _ in range(parallel)], rotate)
    assert sorted(status for status, _ in answers) == [200] + [401] * (parallel - 1)
    assert AuthToken.objects.filter(user=customer).count() == 1
    [new] = [token for status, token in answers if status == 200]
    me = Client().get("/api/v1/accounts/me/", headers={"Authorization": f"Token {new}"})
    assert me.status_code == 200
