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

from dataclasses import dataclass

from pricing.dtos import Customer, QuoteContext


@dataclass(frozen=True, slots=True)
class Shopper:
    """What ``pricing.api.prices_for`` needs to price for this shopper."""

    customer: Customer | None = None
    context: QuoteContext | None = None


def shopper_of(request) -> Shopper:
    """The request's shopper: signed-in customer (id and group names) and visitor id.

    Costs one query (the user's groups) for a signed-in shopper, none otherwise.
    """
    user = request.user
    customer = None
    if user.is_authenticated:
        groups = tuple(sorted(user.groups.values_list("name", flat=True)))
        customer = Customer(customer_id=user.pk, groups=groups)
    visitor_id = getattr(request, "visitor_id", None)
    return Shopper(customer=customer, context=QuoteContext(visitor_id=visitor_id))
