"""A session cookie no session key could be is no session, and never reaches the cache."""

from __future__ import annotations

import warnings

import pytest
from django.core.cache import CacheKeyWarning

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cookie", ["x" * 5000, "a" * 251, "0123456789abcdef0123456789abcde\x7f"])
def test_a_session_cookie_of_another_shape_is_read_as_none(client, cookie):
    """Django looked any cookie up as a key in the cache (a key past 250 characters is a
    warning on every request, and an error on memcached) and the database."""
    client.cookies["sessionid"] = cookie
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        response = client.get("/cart/")

    assert response.status_code == 200
    assert [str(w.message)[:60] for w in warned if issubclass(w.category, CacheKeyWarning)] == []
    assert response.cookies["sessionid"].value == ""  # the browser is told to forget it


def test_a_session_of_the_right_shape_is_still_read(client):
    session = client.session
    session["kept"] = "yes"
    session.save()

    client.get("/cart/")

    assert client.session["kept"] == "yes"
