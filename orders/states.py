"""An order's payment state and fulfilment state, told apart.

``Order.status`` is one walk through the state machine, and one word cannot
say both where the money stands and where the goods stand (a delivered
order with a partial refund; a paid order with one line cancelled). Staff
see the two separately. Both are derived in SQL from the facts (amounts
captured and refunded, units shipped and cancelled, the delivery time), so
the admin list shows and filters them in its one query, and there is no
stored copy to drift from the facts.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from orders.models import FulfilmentState, Order, OrderLine, OrderStatus, Payment, PaymentState


def _per_order(queryset: QuerySet, total, output_field):
    """The sum of ``total`` over ``queryset``'s rows of the outer order, 0 without rows."""
    summed = (
        queryset.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum(total))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=output_field), Value(0, output_field))


def with_states(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """``queryset`` with ``payment_state`` and ``fulfilment_state`` (and their inputs)."""
    amount = DecimalField(max_digits=14, decimal_places=3)
    units = IntegerField()
    return queryset.annotate(
        captured_total=_per_order(Payment.objects, "captured_amount", amount),
        units_shipped=_per_order(OrderLine.objects, "shipped_quantity", units),
        units_open=_per_order(
            OrderLine.objects,
            F("quantity") - F("shipped_quantity") - F("cancelled_quantity"),
            units,
        ),
    ).annotate(
        payment_state=Case(
            When(
                refunded_total__gt=Decimal(0),
                refunded_total__gte=F("grand_total"),
                then=Value(PaymentState.REFUNDED),
            ),
            When(refunded_total__gt=Decimal(0), then=Value(PaymentState.PARTIALLY_REFUNDED)),
            When(
                captured_total__gt=Decimal(0),
                captured_total__gte=F("grand_total"),
                then=Value(PaymentState.PAID),
            ),
            When(
                Exists(
                    Payment.objects.filter(order=OuterRef("pk"), status=Payment.Status.AUTHORIZED)
                ),
                then=Value(PaymentState.AUTHORIZED),
            ),
            default=Value(PaymentState.PENDING),
        ),
        fulfilment_state=Case(
            When(status=OrderStatus.CANCELLED, then=Value(FulfilmentState.CANCELLED)),
            When(delivered_at__isnull=False, then=Value(FulfilmentState.DELIVERED)),
            When(units_open=0, units_shipped__gt=0, then=Value(FulfilmentState.SHIPPED)),
            When(units_open=0, then=Value(FulfilmentState.CANCELLED)),
            When(units_shipped__gt=0, then=Value(FulfilmentState.PARTIALLY_SHIPPED)),
            default=Value(FulfilmentState.UNFULFILLED),
        ),
    )


def states_of(order_id: int) -> tuple[PaymentState, FulfilmentState]:
    """(payment state, fulfilment state) of one order."""
    payment, fulfilment = (
        with_states(Order.objects.filter(pk=order_id))
        .values_list("payment_state", "fulfilment_state")
        .get()
    )
    return PaymentState(payment), FulfilmentState(fulfilment)
