r"""The order state machine: every status an order can have and every allowed move.

This table is the one place transitions are decided. ``services.transition``
is the one function that changes ``Order.status``: it asks `check` first and
records an `OrderTransition` (who, when, why) in the same transaction, so the
history of an order is complete by construction.

    pending_payment -> paid -> partially_shipped -> shipped -> delivered
          |             |  \___________________________/
          v             v
      cancelled     cancelled (money taken is refunded first)

    paid / partially_shipped / shipped / delivered ─► partially_refunded ─► refunded

A partial refund (one line out of stock, a damaged item) does not end
fulfilment: a partially refunded order can still be shipped or delivered.
Self-moves are allowed only where they mean something: another partial
shipment, another partial refund.
"""

from __future__ import annotations

from django.db import models

from orders.dtos import TransitionNotAllowed


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Pending payment"
    PAID = "paid", "Paid"
    PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


S = OrderStatus

ALLOWED: dict[str, frozenset[str]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset(
        {S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED, S.PARTIALLY_REFUNDED, S.REFUNDED}
    ),
    S.PARTIALLY_SHIPPED: frozenset(
        {S.PARTIALLY_SHIPPED, S.SHIPPED, S.PARTIALLY_REFUNDED, S.REFUNDED}
    ),
    S.SHIPPED: frozenset({S.DELIVERED, S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.DELIVERED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset(
        {S.PARTIALLY_REFUNDED, S.REFUNDED, S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED}
    ),
    S.REFUNDED: frozenset(),
    S.CANCELLED: frozenset(),
}

#: Statuses in which goods may still leave the warehouse.
SHIPPABLE = frozenset({S.PAID, S.PARTIALLY_SHIPPED, S.PARTIALLY_REFUNDED})
#: Statuses in which money has been taken and can be given back.
REFUNDABLE = frozenset({S.PAID, S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED, S.PARTIALLY_REFUNDED})


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED[current]


def check(current: str, target: str) -> None:
    if not can_transition(current, target):
        raise TransitionNotAllowed(
            f"An order that is {S(current).label.lower()} cannot become {S(target).label.lower()}."
        )
