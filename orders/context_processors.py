"""The mini-cart in the site header: the number of items in the session's cart.

Lazy and cheap: no query for a session without a cart, one (a sum) otherwise,
and only when a template shows it.
"""

from django.db.models import Sum
from django.utils.functional import SimpleLazyObject

from orders.cart.session import SESSION_CART
from orders.models import CartLine


def minicart(request):
    session = getattr(request, "session", None)
    cart_id = session.get(SESSION_CART) if session is not None else None
    if cart_id is None:
        return {"cart_item_count": 0}

    def count() -> int:
        total = CartLine.objects.filter(cart_id=cart_id).aggregate(n=Sum("quantity"))["n"]
        return total or 0

    return {"cart_item_count": SimpleLazyObject(count)}
