"""Which cart a storefront request is about: the customer's, or the session's anonymous one.

The session keeps the cart id (``SESSION_CART``) so the mini-cart costs one
query, and none for a session that never had a cart; anonymous carts are
looked up by their secret token (``SESSION_TOKEN``). The visitor's id
(``request.visitor_id``, kernel/visitor.py) is stored on the cart
as pricing's experiment key, the same one the storefront prices cards with.

The cart is in the shopper's currency (``kernel.currency``): created in it,
and re-quoted in it when the shopper switches (``cart_currency_set``).
"""

from __future__ import annotations

from kernel.currency import currency_of
from orders.cart import services as carts
from orders.cart.pricing import shopper_of
from orders.models import Cart

SESSION_TOKEN = "orders.cart_token"
SESSION_CART = "orders.cart_id"


def _remember(request, cart: Cart) -> Cart:
    request.session[SESSION_CART] = cart.pk
    if cart.customer_id is None:
        request.session[SESSION_TOKEN] = cart.token
    return cart


def current_cart(request, *, create: bool = False) -> Cart | None:
    """The request's cart: the signed-in customer's, else the session's anonymous one."""
    if request.user.is_authenticated:
        cart = carts.customer_cart(customer_id=request.user.pk)
    else:
        cart = carts.cart_by_token(token=request.session.get(SESSION_TOKEN, ""))
        if cart is not None and cart.customer_id is not None:
            cart = None  # signed out since: a customer's cart is never a guest's
    currency = currency_of(request)
    if cart is not None and cart.currency != currency:
        carts.cart_currency_set(cart=cart, currency=currency, shopper=shopper_of(request.user))
    if cart is None and create:
        cart = carts.cart_create(
            currency=currency,
            customer_id=request.user.pk if request.user.is_authenticated else None,
            visitor_id=request.visitor_id,
        )
    if cart is None:
        request.session.pop(SESSION_CART, None)
        return None
    return _remember(request, cart)


def merge_guest_cart(*, token: str, user) -> Cart | None:
    """The anonymous cart with this token joins the customer's; returns the customer's cart.

    A token of no cart, or of a customer's cart, merges nothing.
    """
    source = carts.cart_by_token(token=token)
    if source is not None and source.customer_id is None:
        return carts.cart_merge(source=source, customer_id=user.pk, shopper=shopper_of(user))
    return carts.customer_cart(customer_id=user.pk)


def merge_at_sign_in(request, user) -> None:
    """Called on sign-in: the session's anonymous cart joins the customer's cart."""
    cart = merge_guest_cart(token=request.session.pop(SESSION_TOKEN, ""), user=user)
    if cart is None:
        request.session.pop(SESSION_CART, None)
    else:
        request.session[SESSION_CART] = cart.pk
