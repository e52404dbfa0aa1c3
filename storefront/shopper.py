"""Who is looking at a storefront page, as far as prices care.

Prices on listing cards and the product page are the shopper's own: the
signed-in customer's group price lists, and the pricing experiment variant
their customer id (else their visitor id) falls in. The cart and checkout
pass pricing the same ``Customer`` and the same ``visitor_id`` cookie, so
what a card shows is what the cart quotes.

The visitor id is ``request.visitor_id``, set for every request by the
shared kernel's middleware (kernel/visitor.py).

With pricing out of process, asking who the shopper is is a call to
pricing's service, which may be down. Browse pages treat pricing as
optional, so the page is then priced for a guest, which fails the same way
and shows "Price unavailable", instead of failing itself. Only that
failure is caught: in process the call cannot fail for a guest, and not
for pricing's reasons for a customer.
"""

from __future__ import annotations

from kernel.remote.client import ServiceUnavailable
from pricing import api as pricing_api
from pricing.dtos import Shopper


def shopper_of(request) -> Shopper:
    """The request's shopper: signed-in customer (id and groups) and visitor id.

    Costs one query (the customer's groups) for a signed-in shopper, none otherwise.
    """
    customer_id = request.user.pk if request.user.is_authenticated else None
    visitor_id = getattr(request, "visitor_id", None)
    try:
        return pricing_api.shopper(customer_id=customer_id, visitor_id=visitor_id)
    except ServiceUnavailable:  # logged and counted by the client
        return Shopper(visitor_id=visitor_id)


def viewer_of(request) -> str | None:
    """Whose views "Recently viewed" counts: a signed-in customer's on every device and
    app (an app that keeps no cookies included), else the visitor's (``visitor_id``)."""
    if request.user.is_authenticated:
        return f"customer-{request.user.pk}"
    return getattr(request, "visitor_id", None)
