"""Units taken off an order before they ship: their stock goes back on sale at once.

Whatever takes units off an order (cancelling the order, cancelling some
units of a line, a refund of everything that ends the order) calls
`release_units` in its own transaction, so inventory's allocation always
matches what the order still means to ship: no cancelled or refunded order
keeps stock away from other shoppers. Each line records the units
(``cancelled_quantity``); they never ship.

`refund_share` is what cancelling units gives back (docs/orders.md,
"Corrections"): the units' part of the line total, less their part of the
order-level discount, plus their tax where prices exclude it. Shipping is
not refunded for a line (the parcel still goes, or went), and vouchers stay
redeemed; both only come back when the whole order is cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from inventory import api as inventory_api
from inventory.dtos import InventoryError, Line
from kernel.money import Money
from orders.dtos import InvalidOrder
from orders.models import Order, OrderLine


def release_units(
    *, order: Order, lines: Sequence[OrderLine], units: Mapping[OrderLine, int] | None = None
) -> None:
    """Give ``units`` (line → quantity; None: every unit not shipped yet) back to sale.

    ``lines`` are the order's lines, locked by the caller. Everything is
    released in one call to inventory, which is idempotent for the whole
    order; a part inventory does not hold (an inconsistent ledger) is a
    refusal, and nothing is changed.
    """
    if units is None:
        units = {line: line.unshipped_quantity for line in lines if line.unshipped_quantity}
        inventory_api.release_allocation(order_ref=order.number)
    elif units:
        try:
            inventory_api.release_allocation(
                order_ref=order.number,
                lines=[Line(sku=line.sku, quantity=qty) for line, qty in units.items()],
            )
        except InventoryError as refused:
            raise InvalidOrder(f"The warehouses cannot release these units: {refused}") from refused
    for line, quantity in units.items():
        line.cancelled_quantity += quantity
    OrderLine.objects.bulk_update(list(units), ["cancelled_quantity"])


def refund_share(*, order: Order, line: OrderLine, quantity: int) -> Money:
    """What cancelling ``quantity`` units of ``line`` gives back, at most what is refundable."""
    part = Decimal(quantity) / Decimal(line.quantity)
    goods = line.line_total * part
    if not order.prices_include_tax:
        goods += line.tax * part
    if order.subtotal > 0:
        goods *= (order.subtotal - order.discount_total) / order.subtotal
    return order.money(min(goods, order.refundable.amount))
