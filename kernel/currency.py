"""The shopper's chosen currency, in the ``currency`` cookie.

Every price a shopper sees comes in one currency: listing cards and the
product page (storefront), the cart and checkout (orders) all read it here,
so a page never mixes two. Its value is one of ``settings.SHOP_CURRENCIES``;
no cookie, or any other value, means ``settings.DEFAULT_CURRENCY``. Only the
storefront's currency switcher writes the cookie.
"""

from __future__ import annotations

from django.conf import settings

CURRENCY_COOKIE = "currency"
CURRENCY_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def shop_currencies() -> tuple[str, ...]:
    return tuple(settings.SHOP_CURRENCIES)


def currency_of(request) -> str:
    """The request's currency: the cookie's when it is one the shop sells in."""
    chosen = request.COOKIES.get(CURRENCY_COOKIE, "")
    return chosen if chosen in shop_currencies() else settings.DEFAULT_CURRENCY


def remember_currency(response, currency: str) -> None:
    """Set the cookie on ``response``; ``currency`` must be one of ``shop_currencies()``."""
    response.set_cookie(
        CURRENCY_COOKIE,
        currency,
        max_age=CURRENCY_COOKIE_MAX_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
