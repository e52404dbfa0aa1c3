"""How many items a cart holds, for the header's mini-cart, cached.

Every page a shopper with a cart sees shows the count; counted in the
database it is a query on every such page, a kept one included. So each
count is cached under a generation of its own: one per cart, and one per
customer for a signed-in customer whose session knows no cart (their cart
may have been made on another device). A count is forgotten, with the
cart's customer's, where the cart's lines change (`services._changed`, the
one door every line change goes through), where it changes hands at
sign-in (`services.cart_merge`) and where it is placed (the cart is
deleted: `checkout.services`).

Counts are read outside the page cache's observing (``kernel.caching.unobserved``):
they are in the header each kept copy replaces for its shopper, so one
shopper's cart never makes the page stale for the others.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet, Sum

from kernel import caching
from orders.models import Cart, CartLine

CART_ITEMS = "orders:cart_items"
TTL_SECONDS = 3600
KEY = "count"


def in_cart(cart_id: int) -> int:
    return _counted(of_cart_name(cart_id), lambda: CartLine.objects.filter(cart_id=cart_id))


def of_customer(customer_id: int) -> int:
    return _counted(
        of_customer_name(customer_id),
        lambda: CartLine.objects.filter(cart__customer_id=customer_id),
    )


def of_cart_name(cart_id: object) -> str:
    return f"{CART_ITEMS}:{cart_id}"


def of_customer_name(customer_id: object) -> str:
    return f"{CART_ITEMS}:customer-{customer_id}"


def _counted(name: str, lines: Callable[[], QuerySet]) -> int:
    """The count under ``name``; ``lines`` builds the query only on a miss: building it
    (a join's lookups resolved) costs more than the kept count's read on every page."""

    def load() -> int:
        return lines().aggregate(n=Sum("quantity"))["n"] or 0

    with caching.unobserved():
        return caching.cached(name=name, key=KEY, load=load, ttl=TTL_SECONDS)


def changed(cart: Cart) -> None:
    """Forget the counts ``cart`` is in: its own, and its customer's."""
    names = [of_cart_name(cart.pk)]
    if cart.customer_id:
        names.append(of_customer_name(cart.customer_id))
    caching.forget_on_commit(*names)
