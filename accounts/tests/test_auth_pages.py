"""Sign-up, sign-in, sign-out, password change and reset on the storefront."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.forms import SignUpForm

pytestmark = pytest.mark.django_db

STRONG = "a much better passphrase 42"


def test_sign_up_creates_a_customer_and_signs_them_in(client):
    response = client.post(
        "/account/sign-up/",
        {
            "email": "New@Example.com",
            "first_name": "New",
            "last_name": "Shopper",
            "password1": STRONG,
            "password2": STRONG,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user = get_user_model().objects.get()
    assert (user.username, user.email) == ("new@example.com", "new@example.com")
    assert "Welcome" in client.get("/account/").content.decode()


def test_sign_up_refuses_a_taken_email_and_a_weak_password(client, customer):
    response = client.post(
        "/account/sign-up/",
        {
            "email": "ADA@example.com",
            "first_name": "Ada",
            "last_name": "Again",
            "password1": "123",
            "password2": "123",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "already exists" in errors["email"][0]
    assert errors["password1"]
    assert get_user_model().objects.count() == 1


def test_an_email_signed_up_meanwhile_is_the_same_form_error(client, customer, monkeypatch):
    """Two sign-ups at once both pass the form's check; the second is told, not a 500."""
    monkeypatch.setattr(SignUpForm, "clean_email", lambda form: form.cleaned_data["email"])
    password = "a long enough passphrase"
    response = client.post(
        "/account/sign-up/",
        {"email": "ada@example.com", "first_name": "Ada", "last_name": "Again",
         "password1": password, "password2": password},
    )  # fmt: skip

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert get_user_model().objects.count() == 1


def test_sign_in_with_any_case_of_the_email_and_sign_out(client, customer, password):
    response = client.post(
        "/account/sign-in/", {"username": "ADA@example.com", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/"

    page = client.get("/").content.decode()
    assert "Your account" in page
    assert "Sign out" in page

    assert client.post("/account/sign-out/").status_code == 302
    assert "Sign in" in client.get("/").content.decode()


def test_a_wrong_password_is_a_form_error(client, customer):
    response = client.post("/account/sign-in/", {"username": "ada@example.com", "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_pages_of_the_account_need_a_signed_in_customer(client):
    for url in ["/account/", "/account/addresses/", "/account/password/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in/?next=")


def test_password_change(signed_in, customer, password):
    response = signed_in.post(
        "/account/password/",
        {"old_password": password, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password(STRONG)


def test_password_reset_sends_a_link_that_sets_a_new_password(client, customer):
    response = client.post("/account/password-reset/", {"email": "ada@example.com"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Reset your Commerce password"
    assert message.alternatives  # an HTML part beside the text
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body).group(1)

    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": STRONG, "new_password2": STRONG})

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password(STRONG)


def test_sign_out_without_csrf_token_is_refused(customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    assert client.post("/account/sign-out/").status_code == 403
    assert client.get("/account/").status_code == 200
