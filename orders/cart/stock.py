"""What the shelves allow: a cart line is capped, at the time of the change, at what can be bought.

A shopper who asks for more than there is learns it when they add or
change the line, not at checkout: the line gets what can be bought
(``inventory.api.purchasable``, counting the cart's own checkout holds as
its own) and a notice says so, in the one wording below that the
storefront and the API both show. Nothing at all to buy is a refusal
(`OutOfStock`): nothing is put in the cart. The check reads without locks;
checkout's reservation and allocation stay the guarantee.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from inventory import api as inventory_api
from kernel.databases import on_commit
from orders.dtos import CartNotice, OutOfStock
from orders.models import Cart

QUANTITY_CAPPED = "quantity_capped"


def capped_message(quantity: int) -> str:
    return ngettext(
        "Only %(n)s left: we put %(n)s in your cart.",
        "Only %(n)s left: we put %(n)s in your cart.",
        quantity,
    ) % {"n": quantity}


def capped(*, cart: Cart, sku: str, wanted: int) -> tuple[int, CartNotice | None]:
    """The quantity the line can hold (``wanted`` or less) and the notice if it is less.

    Raises `OutOfStock` when none can be bought.
    """
    can = inventory_api.purchasable(skus=[sku], reservation_owner=cart.reservation_owner)[sku]
    if can <= 0:
        raise OutOfStock(sku, gettext(OutOfStock.MESSAGE))
    if wanted <= can:
        return wanted, None
    return can, CartNotice(code=QUANTITY_CAPPED, sku=sku, message=capped_message(can))


def holds_given_back(cart: Cart) -> None:
    """Once this change of the cart commits, give back the stock its checkout held.

    A basket that shrank (a line removed, a quantity changed) must not go on
    holding its old lines from other shoppers until the hold lapses; the
    review holds what the cart then has again. After the commit: inventory's
    write is never part of orders' transaction. A failure is only logged:
    the hold then lapses on time.
    """
    owner = cart.reservation_owner
    on_commit("orders", lambda: inventory_api.release_reservation(owner=owner), robust=True)
