"""The mini-cart in the site header: the number of items in the shopper's cart.

The session remembers its cart's id (at sign-in, the customer's cart's),
so a count is one query (a sum), only when a template shows it. A signed-in
customer whose session knows no cart is counted by customer, so a cart made
on another device since they signed in shows here too (that costs their
pages a query while they have no cart); a guest without one costs none.
A cart placed on another device and a new one begun there show here once
this device opens its cart.
"""

from django.db.models import Sum
from django.utils.functional import SimpleLazyObject

from orders.cart.session import SESSION_CART
from orders.models import CartLine


def minicart(request):
    session = getattr(request, "session", None)
    cart_id = session.get(SESSION_CART) if session is not None else None
    user = getattr(request, "user", None)
    if cart_id is not None:
        lines = CartLine.objects.filter(cart_id=cart_id)
    elif user is not None and user.is_authenticated:
        lines = CartLine.objects.filter(cart__customer_id=user.pk)
    else:
        return {"cart_item_count": 0}

    def count() -> int:
        return lines.aggregate(n=Sum("quantity"))["n"] or 0

    return {"cart_item_count": SimpleLazyObject(count)}
