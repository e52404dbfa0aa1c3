"""accounts/signed_in.py: the signed-in user from a cached snapshot, exactly when Django's own
session check would answer the same, and never after a change of the user."""

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.signed_in import signed_in

pytestmark = pytest.mark.django_db


def signed_in_client(customer, password) -> Client:
    client = Client()
    answer = client.post("/account/sign-in/", {"username": customer.email, "password": password})
    assert answer.status_code == 302
    return client


def user_rows_read(client: Client, url: str = "/account/") -> tuple[int, int]:
    """The answer's status, and how many statements read the user table."""
    with CaptureQueriesContext(connections["default"]) as captured:
        status = client.get(url).status_code
    return status, sum('"auth_user"' in query["sql"] for query in captured)


def test_no_signed_in_request_reads_the_user_row_from_the_sign_in_on(customer, password):
    client = signed_in_client(customer, password)  # the snapshot is kept at the sign-in
    assert user_rows_read(client) == (200, 0)
    assert user_rows_read(client) == (200, 0)


def test_a_password_changed_elsewhere_signs_the_session_out(customer, password):
    client = signed_in_client(customer, password)
    client.get("/account/")
    customer.set_password("another long passphrase")
    customer.save()
    assert client.get("/account/").status_code == 302  # to the sign-in page


@pytest.mark.parametrize(
    "change",
    [
        lambda user: setattr(user, "is_active", False) or user.save(),
        lambda user: user.delete(),
    ],
    ids=["deactivated", "deleted"],
)
def test_a_deactivated_or_deleted_user_is_signed_out_at_once(customer, password, change):
    client = signed_in_client(customer, password)
    client.get("/account/")
    change(customer)
    assert client.get("/account/").status_code == 302


def test_staff_rights_taken_away_are_gone_at_the_next_request(customer, password):
    customer.is_staff = True
    customer.save()
    client = signed_in_client(customer, password)
    assert client.get("/admin/").status_code == 200
    customer.is_staff = False
    customer.save()
    assert client.get("/admin/").status_code == 302


def test_a_session_whose_hash_is_not_the_user_s_is_signed_out(customer, password):
    client = signed_in_client(customer, password)
    client.get("/account/")
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()
    assert client.get("/account/").status_code == 302


def test_the_user_it_answers_saves_without_touching_the_password(rf, customer, password):
    client = signed_in_client(customer, password)
    client.get("/account/")
    request = rf.get("/")
    request.session = client.session
    user = signed_in(request)
    assert "password" in user.get_deferred_fields()
    user.first_name = "Augusta"
    user.save()
    customer.refresh_from_db()
    assert customer.first_name == "Augusta"
    assert customer.check_password(password)
