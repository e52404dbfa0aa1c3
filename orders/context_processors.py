"""The mini-cart in the site header: the number of items in the shopper's cart.

The session remembers its cart's id (at sign-in, the customer's cart's),
so a count is one read of the cache (`orders.cart.counts`; a query, a sum,
when not cached), only when a template shows it. A signed-in customer whose
session knows no cart is counted by customer, so a cart made on another
device since they signed in shows here too; a guest without one costs
nothing. A cart placed on another device and a new one begun there show
here once this device opens its cart.
"""

from django.contrib.auth import SESSION_KEY
from django.utils.functional import SimpleLazyObject

from orders.cart import counts
from orders.cart.session import SESSION_CART


def minicart(request):
    session = getattr(request, "session", None)
    cart_id = session.get(SESSION_CART) if session is not None else None
    user = getattr(request, "user", None)
    if cart_id is not None:
        return {"cart_item_count": SimpleLazyObject(lambda: counts.in_cart(cart_id))}
    if user is not None and user.is_authenticated:
        return {"cart_item_count": SimpleLazyObject(lambda: counts.of_customer(user.pk))}
    return {"cart_item_count": 0}


def minicart_read_by(request) -> tuple[tuple[str, str], ...]:
    """The count `minicart` will read for ``request``'s session, named before it runs
    (kernel.read_ahead): its cart's, or else its signed-in customer's."""
    session = request.session
    if (cart_id := session.get(SESSION_CART)) is not None:
        return ((counts.of_cart_name(cart_id), counts.KEY),)
    if (user_id := session.get(SESSION_KEY)) is not None:
        return ((counts.of_customer_name(user_id), counts.KEY),)
    return ()
