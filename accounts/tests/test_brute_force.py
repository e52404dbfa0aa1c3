"""Guessing passwords is stopped: sign-in lockouts (django-axes), sign-up and reset throttles."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"
ADMIN_LOGIN = "/admin/login/"
INCORRECT = "E-mail or password is incorrect."
LOCKED = "Too many failed sign-in attempts"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.SIGN_UP_LIMIT_PER_HOUR = 2
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 2
    cache.clear()


def from_address(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def sign_in(client, username, password, url=SIGN_IN):
    return client.post(url, {"username": username, "password": password})


def fail(client, username="ada@example.com", times=3, url=SIGN_IN):
    """Fail ``times`` times; the failure that reaches the limit is answered with the lockout."""
    return [sign_in(client, username, "wrong", url).status_code for _ in range(times)]


def test_an_unknown_account_and_a_wrong_password_get_the_same_answer(client, customer):
    unknown = sign_in(client, "nobody@example.com", "whatever")
    wrong = sign_in(client, "ada@example.com", "wrong")
    assert unknown.status_code == wrong.status_code == 200
    assert INCORRECT in unknown.content.decode()
    assert INCORRECT in wrong.content.decode()


def test_an_account_is_locked_after_the_limit_even_with_the_right_password(customer, password):
    # Counted as the account however typed; the third failure already locks.
    assert fail(from_address("10.0.0.1"), "ADA@example.com ") == [200, 200, 429]

    response = sign_in(from_address("10.0.0.2"), "ada@example.com", password)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "15 minutes" in response.content.decode()
    assert response["Retry-After"] == "900"


def test_an_address_is_locked_after_the_limit_whatever_account_it_tries(customer, password):
    attacker = from_address("10.0.0.9")
    for name in ("a@example.com", "b@example.com", "c@example.com"):
        fail(attacker, name, times=1)

    assert sign_in(attacker, "ada@example.com", password).status_code == 429
    assert sign_in(from_address("10.0.0.10"), "ada@example.com", password).status_code == 302


def test_the_admin_login_locks_out_too(django_user_model):
    django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    fail(from_address("10.0.0.3"), "clerk", url=ADMIN_LOGIN)
    response = sign_in(from_address("10.0.0.4"), "clerk", "pw", url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_an_overlong_user_name_is_counted_not_a_500():
    responses = fail(from_address("10.0.0.11"), "x" * 5000, url=ADMIN_LOGIN)
    assert responses == [200, 200, 429]
    assert AccessAttempt.objects.get().username == "x" * 255


def test_the_lockout_ends_after_the_cool_off(customer, password, settings):
    fail(from_address("10.0.0.1"))
    past = timezone.now() - timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES, seconds=1)
    AccessAttempt.objects.update(attempt_time=past)

    assert sign_in(from_address("10.0.0.1"), "ada@example.com", password).status_code == 302


def test_staff_unlock_an_account_with_the_management_command(customer, password):
    fail(from_address("10.0.0.1"))
    call_command("axes_reset_username", "ada@example.com")
    assert sign_in(from_address("10.0.0.2"), "ada@example.com", password).status_code == 302


def test_staff_see_and_delete_lockouts_in_the_admin(admin_client, customer):
    fail(from_address("10.0.0.1"))
    attempt = AccessAttempt.objects.get(username="ada@example.com")
    assert admin_client.get("/admin/axes/accessattempt/").status_code == 200
    admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()


def test_sign_up_is_throttled_per_address():
    def sign_up(client):
        return client.post("/account/sign-up/", {"email": "not-an-email"})

    crowd = from_address("10.0.0.5")
    assert [sign_up(crowd).status_code for _ in range(3)] == [200, 200, 429]
    assert sign_up(from_address("10.0.0.6")).status_code == 200


def test_password_reset_is_throttled_per_address(customer):
    def reset(client):
        return client.post("/account/password-reset/", {"email": "ada@example.com"})

    crowd = from_address("10.0.0.7")
    answers = [reset(crowd) for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "Too many requests" in answers[-1].content.decode()
    assert 0 < int(answers[-1]["Retry-After"]) <= 3600  # when this hour's window ends
    assert reset(from_address("10.0.0.8")).status_code == 302


@pytest.mark.parametrize("forwarded", ["garbage", "1.2.3.4:5678", "[::1]", "999.1.1.1", "x" * 300])
def test_behind_a_proxy_a_forwarded_address_that_is_none_is_the_peers(settings, forwarded):
    # Axes keeps the address in an IP column: PostgreSQL refused the value and the page was a 500.
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    response = sign_in(client, "nobody@example.com", "wrong")
    assert response.status_code == 200
    assert INCORRECT in response.content.decode()
    assert AccessAttempt.objects.get().ip_address == "10.0.0.5"
