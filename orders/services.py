"""Write use cases of an order's life, each in one transaction, publishing events.

Payments (which also move orders, to paid and refunded) are in `payments`;
both go through `lifecycle.transition`, the one place a status changes.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import IntegrityError
from django.utils import translation

from inventory import api as inventory_api
from inventory.dtos import InventoryError, Line
from kernel.databases import atomic
from kernel.display import count_display
from kernel.money import Money
from kernel.outbox import publish
from kernel.quantities import is_valid_quantity
from orders import clock, corrections, numbers, payments, rules
from orders.dtos import InvalidOrder, OrderDraft, TransitionNotAllowed
from orders.events import EventLine, OrderCancelled, OrderDelivered, OrderPlaced, OrderShipped
from orders.lifecycle import OrderStatus, locked_order, transition
from orders.models import Order, OrderLine, OrderNote, OrderTransition, Shipment, ShipmentLine
from pricing import api as pricing_api

#: Draws of a fresh number before giving up; a collision is already 1 in 10^11.
NUMBER_ATTEMPTS = 5


def check_draft(draft: OrderDraft) -> None:
    """Refuse a draft whose lines or totals do not make a coherent order."""
    if not draft.lines:
        raise InvalidOrder("An order needs at least one line.")
    amounts = [draft.shipping_total, draft.discount_total, draft.tax_total, draft.grand_total]
    for line in draft.lines:
        if not is_valid_quantity(line.quantity):
            raise InvalidOrder(f"Line {line.sku}: the quantity must be at least 1.")
        amounts += [line.unit_price, line.line_total, *([line.tax] if line.tax is not None else [])]
    if any(m.currency != draft.currency for m in amounts):
        raise InvalidOrder(f"Every amount of the order must be in {draft.currency}.")
    if any(m.amount < 0 for m in amounts):
        raise InvalidOrder("Amounts cannot be negative.")
    tax_on_top = Money.zero(draft.currency) if draft.prices_include_tax else draft.tax_total
    expected = subtotal_of(draft) - draft.discount_total + draft.shipping_total + tax_on_top
    if expected.rounded() != draft.grand_total.rounded():
        raise InvalidOrder(
            "The totals do not add up: the lines, shipping and discounts make "
            f"{expected.rounded()}, the order says {draft.grand_total.rounded()}."
        )


def subtotal_of(draft: OrderDraft) -> Money:
    return sum((line.line_total for line in draft.lines), Money.zero(draft.currency))


def order_place(*, draft: OrderDraft, actor: str, number: str | None = None) -> Order:
    """Create an order from already-priced lines, as `pending_payment`; publish order_placed.

    Checkout passes the ``number`` it drew beforehand, because pricing and
    inventory already hold the vouchers and stock under it; that number is
    not drawn again on a collision (the order fails and checkout compensates).
    """
    check_draft(draft)
    return _order_write(draft=draft, actor=actor, number=number)


@atomic("orders", savepoint=False)
def _order_write(*, draft: OrderDraft, actor: str, number: str | None) -> Order:
    """The order's rows and event, in one transaction.

    Without a savepoint of its own: inside a caller's transaction (checkout
    deleting the cart, an import replaying history) a failure here undoes
    the caller's whole step, as each of them wants, and a savepoint would
    only cost two more statements per order.
    """
    order = Order(
        customer_id=draft.customer_id,
        email=draft.email.strip().lower(),
        currency=draft.currency,
        subtotal=subtotal_of(draft).amount,
        discount_total=draft.discount_total.amount,
        shipping_total=draft.shipping_total.amount,
        tax_total=draft.tax_total.amount,
        grand_total=draft.grand_total.amount,
        prices_include_tax=draft.prices_include_tax,
        shipping_method=draft.shipping_method,
        shipping_address=draft.shipping_address.as_dict(),
        billing_address=draft.billing_address.as_dict(),
        voucher_codes=list(draft.voucher_codes),
        placed_at=clock.now(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if number is None:
        _save_with_fresh_number(order)
    else:
        order.number = number
        order.save(force_insert=True)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            position=position,
            sku=line.sku,
            title=line.title,
            quantity=line.quantity,
            unit_price=line.unit_price.amount,
            line_total=line.line_total.amount,
            tax_rate=line.tax_rate,
            tax=line.tax.amount if line.tax is not None else 0,
            experiment_variant=line.experiment_variant,
        )
        for position, line in enumerate(draft.lines, start=1)
    )
    OrderTransition.objects.create(
        order=order,
        from_status="",
        to_status=order.status,
        actor=actor,
        reason="Order placed.",
        created_at=order.placed_at,
    )
    publish(
        OrderPlaced(
            order_number=order.number,
            customer_id=order.customer_id,
            email=order.email,
            currency=order.currency,
            grand_total=order.grand_total_money.amount,
            lines=tuple(
                EventLine(
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=line.unit_price.amount,
                    experiment_variant=line.experiment_variant,
                )
                for line in draft.lines
            ),
            placed_at=order.placed_at,
        )
    )
    return order


def _save_with_fresh_number(order: Order) -> None:
    for attempt in range(1, NUMBER_ATTEMPTS + 1):
        order.number = numbers.new_order_number()
        try:
            # A savepoint: after a collision the outer transaction is still usable.
            with atomic("orders"):
                order.save(force_insert=True)
        except IntegrityError:
            order.pk = None
            if attempt == NUMBER_ATTEMPTS or not Order.objects.filter(number=order.number).exists():
                raise  # not (only) a number collision: a real integrity problem
        else:
            return


@atomic("orders")
def order_cancel(*, order_id: int, actor: str, reason: str) -> Order:
    """Cancel an order that has not shipped: void open payments, refund captured ones."""
    order = locked_order(order_id)
    if refused := rules.cancel_refusal(order):
        raise TransitionNotAllowed(refused)
    if not reason.strip():
        raise InvalidOrder("Say why the order is cancelled.")
    payments.settle_for_cancellation(order=order, actor=actor, reason=reason)
    transition(order=order, to=OrderStatus.CANCELLED, actor=actor, reason=reason)
    # Calls, not events (docs/inventory.md, docs/pricing.md): both idempotent, same transaction.
    corrections.release_units(order=order, lines=list(order.lines.select_for_update()))
    pricing_api.release_vouchers(order_ref=order.number)
    publish(
        OrderCancelled(
            order_number=order.number,
            reason=reason,
            lines=tuple(
                EventLine(sku=line.sku, quantity=line.quantity) for line in order.lines.all()
            ),
        )
    )
    return order


@atomic("orders")
def order_ship(
    *,
    order_id: int,
    actor: str,
    quantities: Mapping[int, int] | None = None,
    tracking_number: str = "",
    carrier: str = "",
    move_stock: bool = True,
) -> Shipment:
    """Ship some or (``quantities`` None) all of what is left; partial shipments allowed.

    ``quantities`` maps order-line ids to units in this parcel. ``move_stock``
    False records a shipment of an imported order's history: it left before
    inventory's current count, so no stock moves now (`orders.imports`).
    """
    order = locked_order(order_id)
    lines = {line.pk: line for line in order.lines.select_for_update()}
    if refused := rules.ship_refusal(order, list(lines.values())):
        raise TransitionNotAllowed(refused)
    if quantities is None:
        quantities = {pk: line.unshipped_quantity for pk, line in lines.items()}
    parcel = {pk: qty for pk, qty in quantities.items() if qty}
    if not parcel:
        raise InvalidOrder("Nothing to ship: choose at least one unit.")
    for pk, qty in parcel.items():
        line = lines.get(pk)
        if line is None:
            raise InvalidOrder(f"Line {pk} is not part of order {order.number}.")
        if not 0 < qty <= line.unshipped_quantity:
            raise InvalidOrder(
                f"{line.sku}: {count_display(qty, 'unit')} cannot ship, "
                f"{rules.left_to_ship(line.unshipped_quantity)}."
            )
    try:
        if move_stock:
            inventory_api.ship(
                order_ref=order.number,
                lines=[Line(sku=lines[pk].sku, quantity=qty) for pk, qty in parcel.items()],
            )
    except InventoryError as refused:
        raise InvalidOrder(f"The warehouses cannot ship this parcel: {refused}") from refused
    shipment = Shipment.objects.create(
        order=order,
        tracking_number=tracking_number.strip(),
        carrier=carrier.strip(),
        actor=actor,
        shipped_at=clock.now(),
    )
    for pk, qty in parcel.items():
        lines[pk].shipped_quantity += qty
    OrderLine.objects.bulk_update([lines[pk] for pk in parcel], ["shipped_quantity"])
    ShipmentLine.objects.bulk_create(
        ShipmentLine(shipment=shipment, order_line=lines[pk], quantity=qty)
        for pk, qty in parcel.items()
    )
    complete = all(line.unshipped_quantity == 0 for line in lines.values())
    transition(
        order=order,
        to=OrderStatus.SHIPPED if complete else OrderStatus.PARTIALLY_SHIPPED,
        actor=actor,
        reason=f"Shipment {shipment.pk}"
        + (f", tracking {shipment.tracking_number}" if tracking_number else ""),
    )
    publish(
        OrderShipped(
            order_number=order.number,
            shipment_id=shipment.pk,
            tracking_number=shipment.tracking_number,
            carrier=shipment.carrier,
            lines=tuple(EventLine(sku=lines[pk].sku, quantity=qty) for pk, qty in parcel.items()),
            complete=complete,
        )
    )
    return shipment


@atomic("orders")
def order_mark_delivered(*, order_id: int, actor: str, reason: str = "") -> Order:
    order = locked_order(order_id)
    if refused := rules.deliver_refusal(order, list(order.lines.all())):
        raise TransitionNotAllowed(refused)
    order.delivered_at = clock.now()
    order.save(update_fields=["delivered_at", "updated_at"])
    record = transition(
        order=order, to=OrderStatus.DELIVERED, actor=actor, reason=reason or "Delivered."
    )
    publish(
        OrderDelivered(
            order_number=order.number,
            customer_id=order.customer_id,
            lines=tuple(
                EventLine(sku=line.sku, quantity=line.shipped_quantity)
                for line in order.lines.all()
                if line.shipped_quantity
            ),
            delivered_at=record.created_at,
        )
    )
    return order


@atomic("orders")
def order_line_cancel(
    *, order_id: int, line_id: int, quantity: int, actor: str, reason: str
) -> Money:
    """Take ``quantity`` unshipped units of one line off the order; returns the money refunded.

    The units' stock goes back on sale, their share of what was paid is
    refunded (`corrections.refund_share`), vouchers stay redeemed. A note
    records it, since a free item's cancellation moves no money and no
    status. Cancelling everything left of an order that has shipped nothing
    is cancelling the order (`order_cancel`, which also returns shipping and
    vouchers), and is refused here.
    """
    order = locked_order(order_id)
    lines = list(order.lines.select_for_update())
    line = next((item for item in lines if item.pk == line_id), None)
    if refused := rules.units_cancel_refusal(order, lines, line, quantity):
        raise InvalidOrder(refused)
    if not reason.strip():
        raise InvalidOrder("Say why these units are cancelled.")
    share = corrections.refund_share(order=order, line=line, quantity=quantity)
    corrections.release_units(order=order, lines=lines, units={line: quantity})
    what = f"Cancelled {quantity} x {line.sku}: {reason.strip()}"
    if share.amount > 0:
        payments.refund_locked(order=order, amount=share, actor=actor, reason=what)
    if order.status == OrderStatus.PARTIALLY_SHIPPED and not any(
        item.unshipped_quantity for item in lines
    ):
        transition(order=order, to=OrderStatus.SHIPPED, actor=actor, reason=what)
    OrderNote.objects.create(
        order=order, author=actor, text=f"{what} (refunded {share}).", created_at=clock.now()
    )
    return share


@atomic("orders")
def order_note_add(*, order_id: int, author: str, text: str) -> OrderNote:
    if not text.strip():
        raise InvalidOrder("A note needs some text.")
    return OrderNote.objects.create(order=locked_order(order_id), author=author, text=text.strip())
