"""The mini-cart in the site header: the number of items in the shopper's cart.

A signed-in customer's cart is theirs on every device: it is counted by the
customer, never by the cart id a session remembered (another device may have
made the cart since, or placed it and started a new one). A guest's is the
session's. Lazy and cheap: one query (a sum), only when a template shows it,
and none for a guest whose session never had a cart.
"""

from django.db.models import Sum
from django.utils.functional import SimpleLazyObject

from orders.cart.session import SESSION_CART
from orders.models import CartLine


def minicart(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        lines = CartLine.objects.filter(cart__customer_id=user.pk)
    else:
        session = getattr(request, "session", None)
        cart_id = session.get(SESSION_CART) if session is not None else None
        if cart_id is None:
            return {"cart_item_count": 0}
        lines = CartLine.objects.filter(cart_id=cart_id)

    def count() -> int:
        return lines.aggregate(n=Sum("quantity"))["n"] or 0

    return {"cart_item_count": SimpleLazyObject(count)}
