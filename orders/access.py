"""Who may read and pay an order without being its signed-in customer: a guest who proved it.

On the storefront a guest proves an order with its number and e-mail
address (`lookup`), and the session remembers it. An app has no session to
remember it in, so the API answers a proof, and the placing of a guest
order, with an access token: the order number signed with the project's
secret (Django's signing, salted for this use), valid for
``ORDER_ACCESS_TTL_DAYS``. The app sends it as the ``Order-Access-Token``
header. Nothing is stored: a token grants exactly what the number and
e-mail grant, for a while, and rotating ``SECRET_KEY`` ends them all.

Failed lookups are counted per client address (`kernel.throttle.client_ip`)
on the storefront and the API alike, so numbers cannot be tried in bulk.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext

from kernel.throttle import client_ip
from orders import numbers, selectors
from orders.dtos import OrderDetail

HEADER = "Order-Access-Token"
_SALT = "orders.order-access"
LOOKUP_ATTEMPTS = 10
LOOKUP_WINDOW_SECONDS = 15 * 60


class LookupThrottled(Exception):
    """Too many failed lookups from this address; retry after ``LOOKUP_WINDOW_SECONDS``."""


def grant(number: str) -> str:
    """An access token to the order with this number."""
    return signing.dumps(number, salt=_SALT)


def granted(request, number: str) -> bool:
    """Whether the request's ``Order-Access-Token`` is a valid one to this order."""
    token = request.headers.get(HEADER, "")
    if not token:
        return False
    max_age = timedelta(days=settings.ORDER_ACCESS_TTL_DAYS)
    try:
        return signing.loads(token, salt=_SALT, max_age=max_age) == numbers.normalise(number)
    except signing.BadSignature:
        return False


def guest_credential(request) -> str:
    """What an anonymous API caller proves itself with: the access token, else the cart token.

    Scopes a guest's ``Idempotency-Key`` (`orders.idempotency.scope_of`): an
    app without cookies has no session to scope it by.
    """
    if request.headers.get(HEADER):
        return "order:" + request.headers[HEADER]
    data = getattr(request, "data", None)
    cart = data.get("cart") if isinstance(data, Mapping) else None
    return f"cart:{cart}" if isinstance(cart, str) and cart else ""


def lookup(request, *, number: str, email: str) -> OrderDetail | None:
    """The order with this number and e-mail, or None; `LookupThrottled` past the failures."""
    failures = f"orders:lookup-failures:{client_ip(request)}"
    if cache.get(failures, 0) >= LOOKUP_ATTEMPTS:
        raise LookupThrottled(gettext("Too many attempts. Please try again in a few minutes."))
    order = selectors.order_by_number_and_email(number=number, email=email)
    if order is None:
        cache.add(failures, 0, LOOKUP_WINDOW_SECONDS)
        cache.incr(failures)
    return order
