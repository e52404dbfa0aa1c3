"""Who is looking at a storefront page, as far as prices care.

Prices on listing cards and the product page are the shopper's own: the
signed-in customer's group price lists, and the pricing experiment variant
their customer id (else their visitor id) falls in. The cart and checkout
pass pricing the same ``Customer`` and the same ``visitor_id`` cookie, so
what a card shows is what the cart quotes.

The visitor id is ``request.visitor_id``, set for every request by the
shared kernel's middleware (kernel/visitor.py).
"""

from __future__ import annotations

from pricing import api as pricing_api
from pricing.dtos import Shopper


def shopper_of(request) -> Shopper:
    """The request's shopper: signed-in customer (id and groups) and visitor id.

    Costs one query (the customer's groups) for a signed-in shopper, none otherwise.
    """
    user = request.user
    return pricing_api.shopper(
        customer_id=user.pk if user.is_authenticated else None,
        visitor_id=getattr(request, "visitor_id", None),
    )
