"""The header's cart count (orders/cart/counts.py): cached, and fresh after every change."""

import pytest

from orders.cart import counts
from orders.cart import services as carts
from orders.tests.test_checkout import GUEST, place, ready_cart

pytestmark = pytest.mark.usefixtures("shop")


def test_a_warm_count_reads_nothing_and_each_line_change_is_counted_at_once(
    django_assert_num_queries,
):
    cart = carts.cart_create(currency="EUR")
    assert counts.in_cart(cart.pk) == 0
    carts.cart_add(cart=cart, sku="TEA-1", quantity=2, shopper=GUEST)
    assert counts.in_cart(cart.pk) == 2
    with django_assert_num_queries(0):
        assert counts.in_cart(cart.pk) == 2
    carts.cart_set_quantity(cart=cart, sku="TEA-1", quantity=5)
    assert counts.in_cart(cart.pk) == 5
    carts.cart_add(cart=cart, sku="TEA-2", quantity=1, shopper=GUEST)
    carts.cart_remove(cart=cart, sku="TEA-1")
    assert counts.in_cart(cart.pk) == 1


def test_a_customer_s_count_follows_their_cart_through_sign_in_and_placing(customer):
    assert counts.of_customer(customer.pk) == 0  # no cart yet: cached as none
    guests = carts.cart_create(currency="EUR")
    carts.cart_add(cart=guests, sku="TEA-1", quantity=2, shopper=GUEST)
    mine = carts.cart_merge(source=guests, customer_id=customer.pk, shopper=GUEST)
    assert counts.of_customer(customer.pk) == 2  # the guest's cart became theirs
    other = carts.cart_create(currency="EUR")
    carts.cart_add(cart=other, sku="TEA-2", quantity=3, shopper=GUEST)
    assert counts.in_cart(other.pk) == 3
    carts.cart_merge(source=other, customer_id=customer.pk, shopper=GUEST)
    assert (counts.of_customer(customer.pk), counts.in_cart(mine.pk)) == (5, 5)
    assert counts.in_cart(other.pk) == 0  # merged away
    placed = ready_cart(quantity=1)
    assert counts.in_cart(placed.pk) == 1
    place(placed)
    assert counts.in_cart(placed.pk) == 0
