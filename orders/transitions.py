"""Changing an order's status: the one function that does it.

Every service that moves an order (payment, shipping, cancelling,
refunding) locks the order row, does its work and calls `transition`,
which asks the state machine (`lifecycle.check`) and writes the history
row in the same transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from orders import lifecycle
from orders.dtos import OrderNotFound
from orders.models import Order, OrderTransition


def locked_order(order_id: int) -> Order:
    """The order, row-locked until the surrounding transaction ends.

    Two staff members shipping, or a webhook and a capture arriving together,
    take turns instead of both reading the old status.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked_order() needs a surrounding transaction")
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise OrderNotFound(f"No order with id {order_id}.")
    return order


def transition(*, order: Order, to: str, actor: str, reason: str = "") -> OrderTransition:
    """Move ``order`` to status ``to``, or raise `TransitionNotAllowed`; record who and why."""
    lifecycle.check(order.status, to)
    record = OrderTransition.objects.create(
        order=order,
        from_status=order.status,
        to_status=to,
        actor=actor,
        reason=reason,
        created_at=timezone.now(),
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
