"""One mailbox, one account: every spelling of an address signs up, signs in and resets as
the same one (accounts.emails), on the storefront's pages and in the API alike."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from accounts import services
from accounts.emails import canonical_email

pytestmark = pytest.mark.django_db

PASSWORD = "a much better passphrase 42"
#: (how the account was made, how the shopper types it later)
SPELLINGS = [
    ("ada@bücher.de", "ada@xn--bcher-kva.de"),
    ("ada@xn--bcher-kva.de", "Ada@BÜCHER.de"),
    ("ada@bu\u0308cher.de", "ada@b\u00fccher.de"),  # decomposed, then composed
    ("Ada@Example.COM", "  ada@example.com "),
]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ada@Example.COM ", "ada@example.com"),
        ("ada@xn--bcher-kva.de", "ada@bücher.de"),
        ("ADA@BÜCHER.DE", "ada@bücher.de"),
        ("ada@bu\u0308cher.de", "ada@bücher.de"),
        ("not an address", "not an address"),
        ("ada@xn--bad-.de", "ada@xn--bad-.de"),  # not IDNA: left for the validator
    ],
)
def test_the_one_spelling(typed, stored):
    assert canonical_email(typed) == stored


@pytest.mark.parametrize(("made", "typed"), SPELLINGS)
def test_another_spelling_of_a_signed_up_address_is_taken(client, made, typed):
    services.customer_create(email=made, password=PASSWORD, first_name="A", last_name="B")

    response = client.post(
        "/account/sign-up/",
        {"email": typed, "first_name": "A", "last_name": "B",
         "password1": PASSWORD, "password2": PASSWORD},
    )  # fmt: skip

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize(("made", "typed"), SPELLINGS)
def test_another_spelling_signs_in_to_the_account(client, made, typed):
    user = services.customer_create(email=made, password=PASSWORD, first_name="A", last_name="B")

    response = client.post("/account/sign-in/", {"username": typed, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(("made", "typed"), SPELLINGS)
def test_another_spelling_signs_in_through_the_api(client, made, typed):
    services.customer_create(email=made, password=PASSWORD, first_name="A", last_name="B")

    response = client.post(
        "/api/v1/auth/sign-in/",
        {"email": typed, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(("made", "typed"), SPELLINGS)
def test_a_reset_asked_with_another_spelling_is_mailed(client, made, typed):
    services.customer_create(email=made, password=PASSWORD, first_name="A", last_name="B")

    assert client.post("/account/password-reset/", {"email": typed}).status_code == 302
    assert len(mail.outbox) == 1


def test_the_reset_mail_goes_to_the_ascii_form_of_the_domain(client):
    """Mail is sent to the stored Unicode spelling; Django writes its domain as IDNA."""
    services.customer_create(
        email="ada@bücher.de", password=PASSWORD, first_name="A", last_name="B"
    )

    client.post("/account/password-reset/", {"email": "ada@xn--bcher-kva.de"})

    (message,) = mail.outbox
    assert message.to == ["ada@bücher.de"]
    assert "xn--bcher-kva.de" in message.message()["To"]


@pytest.mark.parametrize(
    "typed",
    [
        "ada@\u200b.de",
        "ada@example.com\u200f",
        "ada@\u200eexample.com",
        "ada@xn--a.de",
        "ada@localhost",
        "ada@[127.0.0.1]",
    ],
)
def test_an_address_no_mail_reaches_is_refused_at_sign_up(client, typed):
    """Django's validator takes any character above U+00A0 in a domain, so these signed up
    (as themselves: the mapping failed) to an account no mail can reach, and that a shopper
    typing the address without the invisible mark could not sign in to. Django's validator
    also takes "localhost" and an IP address for a domain: the shop's own server."""
    response = client.post(
        "/api/v1/auth/sign-up/",
        {"email": typed, "password": PASSWORD, "first_name": "A", "last_name": "B"},
        content_type="application/json",
    )

    assert response.status_code == 422, response.content  # the schema's format cannot say it
    assert list(response.json()["errors"]) == ["email"]
    assert not get_user_model().objects.exists()
