"""Read queries of orders, returning DTOs, with constant query counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from accounts.dtos import PostalAddress
from orders import numbers
from orders.dtos import (
    OrderDetail,
    OrderLineView,
    OrderPage,
    OrderSummary,
    PaymentView,
    ShipmentView,
)
from orders.models import Order, OrderLine, OrderStatus, Payment, Shipment, ShipmentLine


def orders_of_customer(*, customer_id: int, page: int | str = 1, per_page: int = 20) -> OrderPage:
    """A page of the customer's orders, newest first (two queries); bad pages give the nearest."""
    rows = (
        Order.objects.filter(customer_id=customer_id)
        .annotate(item_count=Sum("lines__quantity"))
        .order_by("-placed_at", "-id")
    )
    paginator = Paginator(rows, per_page)
    current = paginator.get_page(page)
    return OrderPage(
        items=tuple(
            OrderSummary(
                number=order.number,
                status=order.status,
                status_label=order.get_status_display(),
                placed_at=order.placed_at,
                grand_total=order.grand_total_money,
                item_count=order.item_count or 0,
            )
            for order in current.object_list
        ),
        number=current.number,
        page_count=paginator.num_pages,
        total=paginator.count,
    )


def existing_numbers(*, numbers: Iterable[str]) -> set[str]:
    """Which of ``numbers`` (in stored form) are orders already; one query."""
    return set(Order.objects.filter(number__in=list(numbers)).values_list("number", flat=True))


def _with_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.prefetch_related(
        "lines",
        "payments",
        Prefetch(
            "shipments",
            queryset=Shipment.objects.prefetch_related(
                Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line"))
            ),
        ),
    )


def order_of_customer(*, customer_id: int, number: str) -> OrderDetail | None:
    """The customer's own order with that number; None for anyone else's."""
    order = _with_details(Order.objects.filter(customer_id=customer_id)).filter(
        number=numbers.normalise(number)
    )
    return next((detail_of(o) for o in order), None)


def order_by_number_and_email(*, number: str, email: str) -> OrderDetail | None:
    """Guest lookup: both must match; a wrong pair is indistinguishable from no order."""
    order = _with_details(Order.objects.filter(email__iexact=email.strip())).filter(
        number=numbers.normalise(number)
    )
    return next((detail_of(o) for o in order), None)


def order_by_number(*, number: str) -> OrderDetail | None:
    """Any order by number: only for callers that have checked the reader's right to it."""
    order = _with_details(Order.objects.filter(number=numbers.normalise(number)))
    return next((detail_of(o) for o in order), None)


def placed_order_detail(*, order: Order) -> OrderDetail:
    """The order just written by placing it: its lines read back (one query; their ids are
    the database's), and no payment or shipment, which a new order cannot have yet."""
    return detail_of(order, shipments=(), payments=())


def detail_of(
    order: Order,
    *,
    shipments: Iterable[Shipment] | None = None,
    payments: Iterable[Payment] | None = None,
) -> OrderDetail:
    """The order's detail; its shipments and payments unless given (prefetched by the caller)."""
    money = order.money
    shipments = order.shipments.all() if shipments is None else shipments
    payments = order.payments.all() if payments is None else payments
    return OrderDetail(
        number=order.number,
        status=order.status,
        status_label=order.get_status_display(),
        placed_at=order.placed_at,
        email=order.email,
        customer_id=order.customer_id,
        currency=order.currency,
        lines=tuple(
            OrderLineView(
                id=line.pk,
                sku=line.sku,
                title=line.title,
                quantity=line.quantity,
                shipped_quantity=line.shipped_quantity,
                unit_price=money(line.unit_price),
                line_total=money(line.line_total),
                tax=money(line.tax),
                experiment_variant=line.experiment_variant,
            )
            for line in order.lines.all()
        ),
        subtotal=money(order.subtotal),
        discount_total=money(order.discount_total),
        shipping_method=order.shipping_method,
        shipping_total=money(order.shipping_total),
        tax_total=money(order.tax_total),
        grand_total=money(order.grand_total),
        refunded_total=money(order.refunded_total),
        prices_include_tax=order.prices_include_tax,
        shipping_address=PostalAddress(**order.shipping_address),
        billing_address=PostalAddress(**order.billing_address),
        shipments=tuple(
            ShipmentView(
                id=shipment.pk,
                tracking_number=shipment.tracking_number,
                carrier=shipment.carrier,
                shipped_at=shipment.shipped_at,
                lines=tuple((sl.order_line.sku, sl.quantity) for sl in shipment.lines.all()),
            )
            for shipment in shipments
        ),
        payments=tuple(payment_view_of(payment, order=order) for payment in payments),
    )


def payment_view_of(payment: Payment, *, order: Order) -> PaymentView:
    """What a shopper or client may see of a payment (its instructions only while they matter)."""
    return PaymentView(
        id=payment.pk,
        provider=payment.provider,
        status=payment.status,
        amount=order.money(payment.amount),
        captured=order.money(payment.captured_amount),
        refunded=order.money(payment.refunded_amount),
        method=payment.method,
        status_label=str(Payment.Status(payment.status).label),
        next_action=payment.next_action if payment.status in ("requires_action", "pending") else "",
    )


#: Orders that did not become a sale do not make a product a best seller.
_NOT_SOLD = (OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED, OrderStatus.REFUNDED)


def best_selling_skus(*, days: int, limit: int) -> list[str]:
    """The SKUs with the most units sold in the last ``days`` days, best first. One query.

    Ties are broken by SKU so the home page's row does not reshuffle on
    every request.
    """
    since = timezone.now() - timedelta(days=days)
    rows = (
        OrderLine.objects.filter(order__placed_at__gte=since)
        .exclude(order__status__in=_NOT_SOLD)
        .values("sku")
        .annotate(units=Sum("quantity"))
        .order_by("-units", "sku")[:limit]
    )
    return [row["sku"] for row in rows]
