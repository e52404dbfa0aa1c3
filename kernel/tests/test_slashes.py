"""kernel/slashes.py: an address without its trailing slash is redirected keeping the method."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/cart", "/account/sign-up"])
def test_a_write_without_its_slash_is_a_308_to_the_address_with_it(
    client, settings, debug, method, path
):
    settings.DEBUG = debug  # Django's own raised a RuntimeError (a 500) here
    response = getattr(client, method)(
        path + "?next=/", data=b"{}", content_type="application/json"
    )
    assert response.status_code == 308
    assert response["Location"] == path + "/?next=/"


@pytest.mark.django_db
def test_a_read_without_its_slash_is_django_s_301_and_an_unknown_address_a_404(client):
    assert client.get("/search").status_code == 301
    assert client.get("/search")["Location"] == "/search/"
    assert client.post("/no-such-page").status_code == 404


def test_the_client_repeats_a_308_with_the_same_method_and_body(client, db):
    """What an app's HTTP library does with the answer: the cart is made all the same."""
    response = client.post("/api/v1/cart", {}, content_type="application/json", follow=True)
    assert response.redirect_chain == [("/api/v1/cart/", 308)]
    assert response.status_code == 201, response.content
