"""Who is looking at a storefront page, as far as prices care.

Prices on listing cards and the product page are the shopper's own: the
signed-in customer's group price lists, and the pricing experiment variant
their customer id (else their visitor id) falls in. The cart and checkout
pass pricing the same ``Customer`` and the same ``visitor_id`` cookie, so
what a card shows is what the cart quotes.

The visitor id is a stable anonymous id in the ``visitor_id`` cookie
(random, httponly, one year, SameSite=Lax), set by ``visitor_id_middleware``
on the first response that lacks it. A client that does not keep cookies
(a script, a mobile app without a cookie jar) is a new visitor on every
request and may see another experiment variant each time.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.cache import patch_vary_headers

from pricing.dtos import Customer, QuoteContext

VISITOR_COOKIE = "visitor_id"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
_VISITOR_ID = re.compile(r"[0-9a-f]{32}")


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


def visitor_id_middleware(get_response):
    """Give every visitor a stable id: read the cookie, or make one and set it.

    A cookie that is not one of our ids (tampered, or from an older format)
    is replaced. Responses vary by cookie, since their prices may.
    """

    def middleware(request):
        sent = request.COOKIES.get(VISITOR_COOKIE, "")
        known = bool(_VISITOR_ID.fullmatch(sent))
        request.visitor_id = sent if known else uuid.uuid4().hex
        response = get_response(request)
        if not known:
            response.set_cookie(
                VISITOR_COOKIE,
                request.visitor_id,
                max_age=VISITOR_COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        patch_vary_headers(response, ("Cookie",))
        return response

    return middleware
