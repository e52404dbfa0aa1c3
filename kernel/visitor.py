"""A stable anonymous id for every visitor, in the ``visitor_id`` cookie.

Pricing experiments assign shoppers by customer id, else by this id, so it
must be the same wherever a price is shown or quoted: listing cards and the
product page (storefront), the cart and checkout (orders). One
middleware sets ``request.visitor_id`` for all of them; nobody else reads
or writes the cookie. The id is random, httponly, kept a year, SameSite=Lax.
A client that keeps no cookies (a script, an app without a cookie jar) is a
new visitor on every request; the REST cart lets the app send its own id.
``request.visitor_returning`` says whether the id came with the request (a
visitor the shop knows again) or was made for it.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.utils.cache import patch_vary_headers

VISITOR_COOKIE = "visitor_id"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
_VISITOR_ID = re.compile(r"[0-9a-f]{32}")


def visitor_id_middleware(get_response):
    """Give every visitor a stable id: read the cookie, or make one and set it.

    A cookie that is not one of our ids (tampered, or from an older format)
    is replaced. Responses vary by cookie, since their prices may.
    """

    def middleware(request):
        sent = request.COOKIES.get(VISITOR_COOKIE, "")
        known = bool(_VISITOR_ID.fullmatch(sent))
        request.visitor_id = sent if known else uuid.uuid4().hex
        request.visitor_returning = known
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
