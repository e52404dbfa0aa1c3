"""App authentication: tokens for sign-up and sign-in, rotation, sign-out, lockout, reset."""

import re

import pytest
from axes.models import AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from knox.models import AuthToken
from knox.settings import CONSTANTS

from accounts.tasks import purge_expired_app_tokens

pytestmark = pytest.mark.django_db

AUTH = "/api/v1/auth"


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    cache.clear()


def post(client, url, data=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    return client.post(url, data or {}, content_type="application/json", **headers)


def me(token):
    return Client().get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {token}")


def sign_in(password, email="ada@example.com", ip="10.1.0.1"):
    return post(Client(REMOTE_ADDR=ip), f"{AUTH}/sign-in/", {"email": email, "password": password})


def test_sign_in_gives_a_token_that_works_until_sign_out_revokes_it(customer, password):
    response = sign_in(password, email=" ADA@example.com")
    token = response.json()["token"]

    assert response.status_code == 200
    assert response.json()["customer"]["email"] == "ada@example.com"
    assert me(token).json()["email"] == "ada@example.com"
    # Stored as a hash only: the token itself is nowhere in the table.
    assert not AuthToken.objects.filter(digest=token).exists()

    assert post(Client(), f"{AUTH}/sign-out/", token=token).status_code == 204
    revoked = me(token)
    assert revoked.status_code == 401
    assert revoked["WWW-Authenticate"] == "Token"


def test_an_apps_sign_in_and_out_make_no_session(customer, password):
    """A token is the app's credential: no session row, no ``sessionid`` cookie."""
    answers = [sign_in(password)]
    token = answers[0].json()["token"]
    answers.append(post(Client(), f"{AUTH}/sign-out/", token=token))
    other = sign_in(password).json()["token"]
    answers.append(post(Client(), f"{AUTH}/sign-out/everywhere/", token=other))
    assert [a.status_code for a in answers] == [200, 204, 204]
    assert not any(settings.SESSION_COOKIE_NAME in a.cookies for a in answers)
    assert not Session.objects.exists()
    assert AccessLog.objects.filter(username="ada@example.com").exists()  # still audited


def test_rotation_gives_a_new_token_and_the_old_one_fails(customer, password):
    old = sign_in(password).json()["token"]
    rotated = post(Client(), f"{AUTH}/token/rotate/", token=old)
    new = rotated.json()["token"]

    assert rotated.status_code == 200
    assert new != old
    assert me(old).status_code == 401
    assert me(new).status_code == 200


def test_each_device_has_its_own_token_and_sign_out_everywhere_ends_all(customer, password):
    phone, tablet = sign_in(password).json()["token"], sign_in(password).json()["token"]
    post(Client(), f"{AUTH}/sign-out/", token=phone)
    assert me(tablet).status_code == 200

    assert post(Client(), f"{AUTH}/sign-out/everywhere/", token=tablet).status_code == 204
    assert me(tablet).status_code == 401


def test_an_expired_token_is_refused_and_deleted(customer, password):
    token = sign_in(password).json()["token"]
    AuthToken.objects.update(expiry="2000-01-01T00:00:00Z")
    assert me(token).status_code == 401
    assert not AuthToken.objects.exists()


def test_a_call_reads_its_own_token_once_and_the_expired_others_are_purged_daily(
    customer, password, django_assert_num_queries
):
    phone, tablet = sign_in(password).json()["token"], sign_in(password).json()["token"]
    AuthToken.objects.filter(token_key=tablet[: CONSTANTS.TOKEN_KEY_LENGTH]).update(
        expiry="2000-01-01T00:00:00Z"
    )
    AuthToken.objects.create(user=customer, expiry=None)  # a token that never expires

    # The token with its user, and the view's customer; not the user's other tokens.
    with django_assert_num_queries(2):
        assert me(phone).status_code == 200
    assert AuthToken.objects.count() == 3

    assert purge_expired_app_tokens.delay().get() == 1
    assert me(phone).status_code == 200
    assert me(tablet).status_code == 401
    assert AuthToken.objects.count() == 2


def test_anonymous_callers_of_customer_routes_are_told_to_authenticate(client):
    for url in ("/api/v1/accounts/me/", "/api/v1/orders/", "/api/v1/accounts/addresses/"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_account_and_a_wrong_password_get_the_same_answer(customer):
    unknown = sign_in("whatever", email="nobody@example.com")
    wrong = sign_in("wrong")
    assert unknown.status_code == wrong.status_code == 401  # well formed, does not authenticate
    assert unknown.json() == wrong.json()
    assert unknown.json()["detail"] == "E-mail or password is incorrect."
    assert unknown.json()["code"] == "invalid_credentials"
    assert unknown["WWW-Authenticate"] == wrong["WWW-Authenticate"] == "Token"  # RFC 9110


def test_sign_in_locks_out_after_the_failure_limit(customer, password):
    answers = [sign_in("wrong", ip="10.1.0.2").status_code for _ in range(3)]
    locked = sign_in(password, ip="10.1.0.3")  # the account is locked, from anywhere

    assert answers == [401, 401, 429]  # wrong credentials do not authenticate: 401
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked["Content-Type"] == "application/problem+json"
    assert "Too many failed sign-in attempts" in locked.json()["detail"]
    assert locked.json()["code"] == "throttled"
    assert not AuthToken.objects.exists()


def test_sign_up_creates_the_account_and_signs_it_in(db):
    response = post(
        Client(),
        f"{AUTH}/sign-up/",
        {
            "email": "Grace@Example.com",
            "password": "a long enough passphrase",
            "first_name": "Grace",
            "last_name": "Hopper",
        },
    )

    assert response.status_code == 201
    assert response.json()["customer"] == {
        "id": response.json()["customer"]["id"],
        "email": "grace@example.com",
        "full_name": "Grace Hopper",
    }
    assert me(response.json()["token"]).status_code == 200


def test_sign_up_refusals_name_the_field(customer):
    response = post(
        Client(),
        f"{AUTH}/sign-up/",
        {"email": "ada@example.com", "password": "123", "first_name": "A", "last_name": "B"},
    )
    # Well formed, refused by the sign-up rules (an account exists, the password rules): 422.
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"email", "password"}


def test_sign_up_is_throttled_per_address(settings):
    settings.SIGN_UP_LIMIT_PER_HOUR = 1
    crowd = Client(REMOTE_ADDR="10.1.0.4")
    assert post(crowd, f"{AUTH}/sign-up/", {"email": "x"}).status_code == 400
    refused = post(crowd, f"{AUTH}/sign-up/", {"email": "x"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600  # when this hour's window ends


def test_password_reset_mails_a_link_whose_parts_set_a_new_password(customer, password):
    token = sign_in(password).json()["token"]
    unknown = post(Client(), f"{AUTH}/password-reset/", {"email": "nobody@example.com"})
    known = post(Client(), f"{AUTH}/password-reset/", {"email": "ada@example.com"})
    assert unknown.status_code == known.status_code == 202
    assert len(mail.outbox) == 1
    uid, link_token = re.search(r"/password-reset/([^/]+)/([^/]+)/", mail.outbox[0].body).groups()

    confirm = {"uid": uid, "token": link_token, "new_password": "another long passphrase"}
    assert post(Client(), f"{AUTH}/password-reset/confirm/", confirm).status_code == 204

    assert me(token).status_code == 401  # the password changed: the app's tokens end
    assert sign_in("another long passphrase").status_code == 200
    reused = post(Client(), f"{AUTH}/password-reset/confirm/", confirm)
    assert reused.status_code == 404  # a link used up names no reset any more
    assert reused.json()["detail"] == "This reset link is invalid or was already used."


@pytest.mark.parametrize("uid", ["", "!!", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA", "bm90LWEtbnVtYmVy"])
def test_a_reset_link_of_no_one_is_a_404(uid):
    body = {"uid": uid or "x", "token": "abc", "new_password": "whatever long enough"}
    response = post(Client(), f"{AUTH}/password-reset/confirm/", body)
    assert response.status_code == 404
    assert response.json()["detail"] == "This reset link is invalid or was already used."


def test_a_password_changed_on_the_storefront_revokes_the_app_tokens(client, customer, password):
    token = sign_in(password).json()["token"]
    client.force_login(customer)
    client.post(
        "/account/password/",
        {
            "old_password": password,
            "new_password1": "brand new long passphrase",
            "new_password2": "brand new long passphrase",
        },
    )
    assert me(token).status_code == 401


def test_the_session_still_authenticates_the_browsable_api(signed_in):
    assert signed_in.get("/api/v1/accounts/me/").status_code == 200


@pytest.mark.parametrize(
    "route",
    [
        "sign-up/",
        "sign-in/",
        "password-reset/",
        "password-reset/confirm/",
        "token/rotate/",
        "sign-out/",
    ],
)
@pytest.mark.parametrize(
    "body",
    [[], "text", 7, {"email": ["a"], "password": {"x": 1}, "cart": 3}, {"email": "a\x00b"},
     {"email": "x" * 5000, "password": "y" * 5000, "uid": "z" * 5000, "token": "t" * 5000}],
)  # fmt: skip
def test_hostile_bodies_are_refused_with_a_4xx(route, body):
    response = Client(REMOTE_ADDR="10.1.0.9").post(
        f"{AUTH}/{route}", body, content_type="application/json", HTTP_AUTHORIZATION="Token bad"
    )
    assert 400 <= response.status_code < 500


def test_a_sign_in_past_the_cap_revokes_the_oldest_token_not_the_sign_in(
    customer, password, settings
):
    """Every sign-in added a token for 30 days, without end; knox's own cap would refuse
    the new device instead (403). The oldest devices give way, the newest keep working."""
    settings.API_TOKENS_PER_USER = 3
    tokens = [sign_in(password).json()["token"] for _ in range(5)]

    assert AuthToken.objects.filter(user=customer).count() == 3
    assert [me(token).status_code for token in tokens] == [401, 401, 200, 200, 200]
    rotated = post(Client(), f"{AUTH}/token/rotate/", token=tokens[2])
    assert rotated.status_code == 200
    assert AuthToken.objects.filter(user=customer).count() == 3


@pytest.mark.parametrize(
    ("signed_up", "typed"),
    [
        ("zoe@bücher.de", "ZOE@xn--bcher-kva.de"),
        ("zoe@xn--bcher-kva.de", "zoe@BÜCHER.de"),
        ("zoe@example.com\u200b", "zoe@example.com"),
    ],
)
def test_an_address_is_one_account_however_its_domain_is_spelt(signed_up, typed):
    """The ASCII and Unicode forms of a domain (and one with a zero-width space pasted in,
    which Django's validator lets through) are one mailbox: they were two accounts, and
    the second spelling did not sign in to the first."""
    body = {"password": "correct horse battery", "first_name": "Zoë", "last_name": "M"}
    first = post(Client(), f"{AUTH}/sign-up/", {"email": signed_up, **body})
    second = post(Client(REMOTE_ADDR="10.2.0.1"), f"{AUTH}/sign-up/", {"email": typed, **body})
    signed_in = sign_in("correct horse battery", email=typed)

    assert first.status_code == 201
    assert second.status_code == 422
    assert list(second.json()["errors"]) == ["email"]
    assert signed_in.status_code == 200
    assert signed_in.json()["customer"]["id"] == first.json()["customer"]["id"]
    assert "\u200b" not in first.json()["customer"]["email"]


def test_a_reset_link_is_mailed_to_the_account_whatever_spelling_of_its_domain(db):
    body = {"password": "correct horse battery", "first_name": "Zoë", "last_name": "M"}
    post(Client(), f"{AUTH}/sign-up/", {"email": "zoe@bücher.de", **body})
    assert (
        post(Client(), f"{AUTH}/password-reset/", {"email": "zoe@xn--bcher-kva.de"}).status_code
        == 202
    )
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("token", ["\xe9t\xe9", "\xff" * 64, "caf\xc3"])
@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/api/v1/search/"), ("get", "/api/v1/accounts/me/"), ("post", "/api/v1/cart/")],
)
def test_a_token_whose_bytes_are_not_utf8_is_refused_as_a_wrong_token(method, url, token):
    """A header's bytes arrive as Latin-1 (WSGI); "é" sent so is one byte 0xE9, no UTF-8."""
    response = getattr(Client(), method)(
        url, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Token"
