r"""The order state machine: every status an order can have and every allowed move.

This table is the one place transitions are decided, and `transition` below
is the one function that changes ``Order.status``: it asks `check` first and
records an `OrderTransition` (who, when, why) in the same transaction, so the
history of an order is complete by construction. Every service that moves an
order (payment, shipping, cancelling, refunding) locks the order row with
`locked_order`, does its work and calls `transition`.

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

from kernel.databases import connection_of
from orders import clock
from orders.dtos import OrderNotFound, TransitionNotAllowed
from orders.models import Order, OrderStatus, OrderTransition

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


def locked_order(order_id: int) -> Order:
    """The order, row-locked until the surrounding transaction ends.

    Two staff members shipping, or a webhook and a capture arriving together,
    take turns instead of both reading the old status.
    """
    if not connection_of("orders").in_atomic_block:
        raise RuntimeError("locked_order() needs a surrounding transaction")
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise OrderNotFound(f"No order with id {order_id}.")
    return order


def transition(*, order: Order, to: str, actor: str, reason: str = "") -> OrderTransition:
    """Move ``order`` to status ``to``, or raise `TransitionNotAllowed`; record who and why."""
    check(order.status, to)
    record = OrderTransition.objects.create(
        order=order,
        from_status=order.status,
        to_status=to,
        actor=actor,
        reason=reason,
        created_at=clock.now(),
    )
    order.status = to
    order.save(update_fields=["status", "updated_at"])
    return record


def actor_of(user) -> str:
    """How a user appears in an order's history."""
    if user is None or not user.is_authenticated:
        return "guest"
    role = "staff" if user.is_staff else "customer"
    return f"{role}:{user.pk} ({user.get_username()})"
