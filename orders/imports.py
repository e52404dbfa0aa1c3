"""Orders that happened elsewhere or earlier: the demo's history, a migration's old orders.

An imported order is placed and moved through its history by the same
services as a live one, step by step, so every rule of the state machine
holds, refunds go through the payment provider, and every event is
published (recommendations learn from the baskets, pricing counts demand,
reviews mark verified purchases). The differences:

- Time: each step is recorded at its own moment (`clock.recorded_at`), in
  the records and in the events.
- Stock: the warehouses' current stock was counted after the history
  happened, so what already shipped moves no stock now (``order_ship``
  with ``move_stock=False``); what the order still has to ship is
  allocated at the end, as checkout would have (``inventory.api.allocate``,
  the last step, so a shortage leaves nothing behind).
- No pricing (the draft's amounts are taken as they were, checked like
  checkout's by `services.check_draft`), no vouchers redeemed, and no
  e-mail: the shopper was told when it happened, so the notification
  ledger (`SentNotification`) records each e-mail as sent.

Payments go through a real provider of the shop: the sandbox's approving
test card, or an offline method (bank transfer); a production migration
would need a provider for payments recorded elsewhere. Idempotent by order
number: an order that exists is left as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from inventory import api as inventory_api
from inventory.dtos import InsufficientStock, Line
from kernel.databases import atomic
from orders import clock, numbers, payments, services
from orders.dtos import PAST_ACTIONS, InvalidOrder, OrderDraft, PastStep
from orders.models import Order, Payment, SentNotification
from orders.providers import get_provider
from orders.providers.base import Card
from orders.rules import CAPTURABLE

#: The sandbox's approving test card (orders/providers/sandbox.py), valid for years to come.
SANDBOX_CARD = ("4242424242424242", 12, "123")


def order_import(
    *,
    draft: OrderDraft,
    number: str,
    placed_at: datetime,
    steps: Sequence[PastStep] = (),
    actor: str = "import",
) -> bool:
    """Place the order as of ``placed_at`` and replay ``steps``; False if ``number`` exists.

    Raises `InvalidOrder` or `TransitionNotAllowed` (then nothing is kept).
    """
    number = numbers.normalise(number)
    if Order.objects.filter(number=number).exists():
        return False
    _check_history(placed_at, steps)
    services.check_draft(draft)
    _write(draft=draft, number=number, placed_at=placed_at, steps=steps, actor=actor)
    return True


def _check_history(placed_at: datetime, steps: Sequence[PastStep]) -> None:
    moments = [placed_at, *(step.at for step in steps)]
    if any(timezone.is_naive(moment) for moment in moments):
        raise InvalidOrder("Every moment of an imported order needs a time zone.")
    if moments != sorted(moments) or moments[-1] > timezone.now():
        raise InvalidOrder("An imported order's steps must be in order, and in the past.")
    for step in steps:
        if step.action not in PAST_ACTIONS:
            raise InvalidOrder(f"Unknown step {step.action!r} of an imported order.")


@atomic("orders")
def _write(
    *, draft: OrderDraft, number: str, placed_at: datetime, steps: Sequence[PastStep], actor: str
) -> None:
    with clock.recorded_at(placed_at):
        order = services.order_place(draft=draft, actor=actor, number=number)
    for step in steps:
        with clock.recorded_at(step.at):
            _replay(order.pk, step, actor)
    _record_as_notified(order)
    _allocate_what_is_left(order)


def _allocate_what_is_left(order: Order) -> None:
    """Hold in the warehouses what the order has still to ship (cancelled units are not)."""
    left = [
        Line(sku=line.sku, quantity=line.unshipped_quantity)
        for line in order.lines.all()
        if line.unshipped_quantity
    ]
    if not left:
        return
    try:
        inventory_api.allocate(order_ref=order.number, lines=left)
    except InsufficientStock as short:
        raise InvalidOrder(f"Order {order.number} cannot be imported: {short}") from short


def _replay(order_id: int, step: PastStep, actor: str) -> None:
    if step.action == "authorize":
        payments.payment_start(
            order_id=order_id,
            provider_code=step.provider,
            actor=actor,
            card=_card() if get_provider(step.provider).takes_cards else None,
            capture=False,
        )
    elif step.action == "capture":
        payment = Payment.objects.filter(order_id=order_id, status__in=CAPTURABLE).first()
        if payment is None:
            raise InvalidOrder("An imported capture needs an authorised payment before it.")
        payments.payment_capture(payment_id=payment.pk, actor=actor)
    elif step.action == "ship":
        services.order_ship(
            order_id=order_id,
            actor=actor,
            quantities=_line_units(order_id, step),
            move_stock=False,
        )
    elif step.action == "deliver":
        services.order_mark_delivered(order_id=order_id, actor=actor)
    elif step.action == "cancel":
        services.order_cancel(order_id=order_id, actor=actor, reason=step.reason or "Cancelled.")
    else:
        payments.order_refund(
            order_id=order_id, actor=actor, reason=step.reason, amount=step.amount
        )


def _card() -> Card:
    number, month, cvc = SANDBOX_CARD
    return Card(number=number, exp_month=month, exp_year=timezone.now().year + 5, cvc=cvc)


def _line_units(order_id: int, step: PastStep) -> dict[int, int] | None:
    """The step's (SKU, units) as order-line ids; None ships everything left."""
    if not step.units:
        return None
    line_ids = dict(Order.objects.get(pk=order_id).lines.values_list("sku", "pk"))
    unknown = {sku for sku, _ in step.units} - set(line_ids)
    if unknown:
        raise InvalidOrder(f"Cannot ship {', '.join(sorted(unknown))}: not in the order.")
    return {line_ids[sku]: quantity for sku, quantity in step.units}


def _record_as_notified(order: Order) -> None:
    """The shopper heard of each step when it happened: no e-mail goes out for it now."""
    references = [("confirmation", order.number)]
    references += [
        ("shipped", f"shipment:{pk}") for pk in order.shipments.values_list("pk", flat=True)
    ]
    references += [
        ("refund", f"refund:{pk}")
        for pk in order.payments.values_list("refunds__pk", flat=True)
        if pk is not None
    ]
    SentNotification.objects.bulk_create(
        [SentNotification(kind=kind, reference=reference) for kind, reference in references],
        ignore_conflicts=True,
    )
