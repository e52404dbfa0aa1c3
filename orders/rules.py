"""What each action on an order needs, asked by the service that does it and by the admin.

Each function answers why the action cannot be done now (a message fit for
staff) or None. The service raises that message as its refusal; the staff
order page offers a button only when the answer is None. One rule, two
askers: the page never offers "Mark as delivered" for the service to refuse
it. The state machine (`lifecycle.ALLOWED`) is the first question of each;
the rest are the business conditions on top (units left to ship, money left
to give back).

``lines`` are the order's lines, read by the caller (locked, in a service).
"""

from __future__ import annotations

from collections.abc import Sequence

from kernel.display import count_display
from orders.lifecycle import REFUNDABLE, SHIPPABLE, can_transition
from orders.models import Order, OrderLine, OrderStatus, Payment

#: Payments staff can capture: authorised cards, offline payments awaiting the money.
CAPTURABLE = (Payment.Status.AUTHORIZED, Payment.Status.PENDING)

WHOLE_ORDER = "That is everything the order still holds: cancel the order (or refund it) instead."


def _is(order: Order) -> str:
    return f"An order that is {order.get_status_display().lower()}"


def capture_refusal(order: Order) -> str | None:
    if not order.payments.filter(status__in=CAPTURABLE).exists():
        return "No payment of this order waits to be captured."
    return None


def ship_refusal(order: Order, lines: Sequence[OrderLine]) -> str | None:
    if order.status not in SHIPPABLE:
        return f"{_is(order)} cannot be shipped."
    if not any(line.unshipped_quantity for line in lines):
        return "Nothing is left to ship: every unit has shipped or was cancelled."
    return None


def deliver_refusal(order: Order, lines: Sequence[OrderLine]) -> str | None:
    if not can_transition(order.status, OrderStatus.DELIVERED):
        return f"{_is(order)} cannot become delivered."
    if order.delivered_at is not None:
        return "This order was already delivered."
    if any(line.unshipped_quantity for line in lines) or not any(
        line.shipped_quantity for line in lines
    ):
        return "Only an order that has shipped completely can be delivered."
    return None


def cancel_refusal(order: Order) -> str | None:
    if not can_transition(order.status, OrderStatus.CANCELLED):
        return f"{_is(order)} cannot become cancelled."
    return None


def refund_refusal(order: Order) -> str | None:
    if order.status not in REFUNDABLE:
        return f"{_is(order)} cannot be refunded."
    if order.refundable.amount <= 0:
        return "Nothing is left to refund."
    return None


def line_cancel_refusal(order: Order, lines: Sequence[OrderLine]) -> str | None:
    """Whether some units of some line can be cancelled (the button)."""
    if order.status not in SHIPPABLE:
        return f"{_is(order)} cannot lose units: cancel or refund it instead."
    open_units = sum(line.unshipped_quantity for line in lines)
    if not open_units:
        return "Nothing is left to cancel: every unit has shipped or was cancelled."
    if open_units == 1 and not any(line.shipped_quantity for line in lines):
        return WHOLE_ORDER
    return None


def units_cancel_refusal(
    order: Order, lines: Sequence[OrderLine], line: OrderLine | None, quantity: int
) -> str | None:
    """Whether ``quantity`` units of ``line`` can be cancelled (the form's choice)."""
    if refused := line_cancel_refusal(order, lines):
        return refused
    if line is None:
        return f"This line is not part of order {order.number}."
    if not 0 < quantity <= line.unshipped_quantity:
        return (
            f"{line.sku}: {count_display(quantity, 'unit')} cannot be cancelled, "
            f"{left_to_ship(line.unshipped_quantity)}."
        )
    nothing_shipped = not any(item.shipped_quantity for item in lines)
    if nothing_shipped and quantity == sum(item.unshipped_quantity for item in lines):
        return WHOLE_ORDER
    return None


def left_to_ship(units: int) -> str:
    """``1 is left to ship``, ``3 are left to ship``: the tail of a quantity's refusal."""
    return f"{units} {'is' if units == 1 else 'are'} left to ship"
