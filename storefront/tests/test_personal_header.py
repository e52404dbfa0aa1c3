"""A kept page's personal header (storefront/personal_header.py): rendered once for everyone
it looks the same for, it is the header the page's own template renders, with the shopper's
own CSRF token."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from storefront import page_cache
from storefront.tests.test_page_cache import PRODUCT, on_sale  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("structure", "on_sale")

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def header_of(page: bytes) -> bytes:
    return page.partition(b"<!--personal-header-->")[2].partition(b"<!--/personal-header-->")[0]


def composed_then_kept(client: Client, url: str) -> tuple[bytes, bytes]:
    """The header of ``url`` as its template renders it (the page composed), then as a kept
    copy of it is served to the same shopper."""
    cache.clear()
    page_cache.answerable.clear()
    composed = client.get(url)
    kept = client.get(url)
    assert composed.status_code == kept.status_code == 200
    return header_of(composed.content), header_of(kept.content)


def signed_in(django_user_model, **fields) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user(username="ada", **fields))
    return client


def with_a_cart(client: Client, quantity: int) -> Client:
    client.post("/cart/add/", {"sku": "SW-1-M", "quantity": str(quantity)})
    return client


@pytest.mark.parametrize(
    ("shopper", "url"),
    [
        (lambda users: with_a_cart(Client(), 2), PRODUCT),
        (lambda users: with_a_cart(Client(), 1), "/de" + PRODUCT),
        (signed_in, PRODUCT),
        (lambda users: with_a_cart(signed_in(users), 3), "/"),
        (lambda users: signed_in(users, is_staff=True), PRODUCT),
        (lambda users: signed_in(users, is_staff=True), "/de/c/clothing/"),
    ],
    ids=["cart", "cart-german", "signed-in", "signed-in-cart", "staff", "staff-german"],
)
def test_the_kept_header_is_the_one_the_template_renders(django_user_model, shopper, url):
    client = shopper(django_user_model)
    composed, kept = composed_then_kept(client, url)

    assert TOKEN.sub(b"", kept) == TOKEN.sub(b"", composed)
    assert kept.strip()


def test_a_header_rendered_for_one_shopper_shows_the_next_their_own(django_user_model):
    staff = signed_in(django_user_model, is_staff=True)
    staff.get(PRODUCT)
    assert b"Staff admin" in header_of(staff.get(PRODUCT).content)
    shopper = with_a_cart(Client(), 2)
    shopper_header = header_of(shopper.get(PRODUCT).content)

    assert b"Staff admin" not in shopper_header
    assert b'<span class="minicart-count">2</span>' in shopper_header
    with_a_cart(shopper, 1)
    assert b'<span class="minicart-count">3</span>' in header_of(shopper.get(PRODUCT).content)


def test_the_kept_headers_sign_out_form_carries_the_shoppers_own_token(django_user_model):
    client = signed_in(django_user_model)
    client.get(PRODUCT)
    kept = client.get(PRODUCT).content
    guarded = Client(enforce_csrf_checks=True)
    guarded.cookies = client.cookies

    (token,) = TOKEN.findall(header_of(kept))
    signed_out = guarded.post("/account/sign-out/", {"csrfmiddlewaretoken": token.decode()})

    assert signed_out.status_code == 302
    assert b"Sign in" in header_of(Client().get(PRODUCT).content)
    assert "_auth_user_id" not in guarded.session


def test_a_header_without_a_form_sets_no_csrf_cookie():
    """Only the signed-in header's sign-out form needs a token; a shopper with a cart is not
    given a CSRF cookie by a kept page."""
    shopper = with_a_cart(Client(), 1)
    shopper.get(PRODUCT)  # composed, to show the message the add left
    shopper.get(PRODUCT)  # composed and kept
    kept = shopper.get(PRODUCT)
    assert b"minicart-count" in header_of(kept.content)
    assert "csrftoken" not in shopper.cookies


def test_a_shopper_s_cart_never_makes_the_shared_page_stale(django_user_model, monkeypatch):
    """The count is in the header each kept copy replaces: not among the page's generations."""
    kept = []
    keep = page_cache.caching.keep
    monkeypatch.setattr(
        page_cache.caching, "keep", lambda *args: kept.append(args[2]) or keep(*args)
    )
    shopper = with_a_cart(signed_in(django_user_model), 1)
    shopper.get(PRODUCT)  # shows the flash message: not kept
    assert b'<span class="minicart-count">1</span>' in header_of(shopper.get(PRODUCT).content)
    [generations] = kept
    assert generations
    assert not [name for name in generations if name.startswith("orders:")]  # the count's
