"""Corrections keep stock true: cancelled or refunded units that did not ship go back on sale."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from inventory import api as inventory_api
from orders import payments, services
from orders.dtos import InvalidOrder
from orders.models import FulfilmentState, Order, PaymentState
from orders.providers import sandbox
from orders.providers.base import Card
from orders.states import states_of
from orders.tests.factories import eur, line, place

pytestmark = pytest.mark.django_db

VISA = Card(number="4242424242424242", exp_month=1, exp_year=2099, cvc="123")


def paid(*lines, **fields) -> Order:
    order = place(*lines, **fields)
    payments.payment_start(order_id=order.pk, provider_code="sandbox", card=VISA, actor="c")
    order.refresh_from_db()
    return order


def for_sale(sku: str) -> int:
    return inventory_api.availability(skus=[sku])[sku].quantity_shown


def held(sku: str) -> tuple[int, int]:
    """(on hand, allocated) of ``sku`` over all warehouses."""
    levels = inventory_api.stock_levels(skus=[sku])
    return sum(level.on_hand for level in levels), sum(level.allocated for level in levels)


def ledger_balances() -> None:
    """Every stock row equals the sum of its ledger movements (so each change has its row)."""
    call_command("inventory_audit")


def cancel_units(order: Order, sku: str, quantity: int, reason: str = "Out of stock") -> Decimal:
    target = order.lines.get(sku=sku)
    return services.order_line_cancel(
        order_id=order.pk, line_id=target.pk, quantity=quantity, actor="staff:1", reason=reason
    ).amount


def test_cancelling_unshipped_units_puts_them_back_on_sale_and_refunds_their_share():
    order = paid(line("TEA-1", quantity=3), line("MUG-1", quantity=1))
    assert for_sale("TEA-1") == 0

    refunded = cancel_units(order, "TEA-1", 2)

    order.refresh_from_db()
    assert refunded == Decimal("25.00")
    assert order.refunded_total == Decimal("25.00")
    assert order.status == "partially_refunded"
    assert for_sale("TEA-1") == 2
    assert held("TEA-1") == (3, 1)
    ledger_balances()
    assert order.lines.get(sku="TEA-1").cancelled_quantity == 2
    assert order.payments.get().refunded_amount == Decimal("25.00")
    assert "Cancelled 2 x TEA-1: Out of stock" in order.notes.get().text
    assert states_of(order.pk) == (PaymentState.PARTIALLY_REFUNDED, FulfilmentState.UNFULFILLED)

    services.order_ship(order_id=order.pk, actor="staff:1")  # the rest still ships
    order.refresh_from_db()
    assert order.status == "shipped"
    assert held("TEA-1") == (2, 0)
    assert states_of(order.pk) == (PaymentState.PARTIALLY_REFUNDED, FulfilmentState.SHIPPED)
    services.order_mark_delivered(order_id=order.pk, actor="staff:1")
    assert states_of(order.pk)[1] == FulfilmentState.DELIVERED


def test_the_share_of_a_line_is_net_of_the_order_discount():
    order = paid(line("TEA-1", quantity=2), line("MUG-1", quantity=2, unit="5.00"), discount="3.50")
    assert cancel_units(order, "MUG-1", 1) == Decimal("4.50")  # 5.00 less its 10 % of 35.00 off


def test_shipped_units_are_not_released_and_cannot_be_cancelled():
    order = paid(line("TEA-1", quantity=2), line("MUG-1", quantity=1))
    tea = order.lines.get(sku="TEA-1")
    services.order_ship(order_id=order.pk, actor="staff:1", quantities={tea.pk: 2})

    with pytest.raises(InvalidOrder, match="0 are left to ship"):
        cancel_units(order, "TEA-1", 1)
    cancel_units(order, "MUG-1", 1)  # the last unshipped unit: the order is then shipped

    order.refresh_from_db()
    assert held("TEA-1") == (0, 0)  # shipped: off hand, nothing given back
    assert for_sale("MUG-1") == 1
    assert order.status == "partially_refunded"
    assert states_of(order.pk) == (PaymentState.PARTIALLY_REFUNDED, FulfilmentState.SHIPPED)
    ledger_balances()


def test_a_full_refund_ends_the_order_and_releases_what_has_not_shipped():
    order = paid(line("TEA-1", quantity=2), line("MUG-1", quantity=1))
    tea, _ = order.lines.order_by("position")
    services.order_ship(order_id=order.pk, actor="staff:1", quantities={tea.pk: 1})

    payments.order_refund(order_id=order.pk, actor="staff:1", reason="Lost in transit")

    order.refresh_from_db()
    assert order.status == "refunded"
    assert held("TEA-1") == (1, 0)  # one shipped (off hand), the other back on sale
    assert (for_sale("TEA-1"), for_sale("MUG-1")) == (1, 1)
    assert [item.cancelled_quantity for item in order.lines.order_by("position")] == [1, 1]
    assert states_of(order.pk) == (PaymentState.REFUNDED, FulfilmentState.SHIPPED)  # the rest
    ledger_balances()


def test_a_full_refund_reported_by_the_provider_releases_too():
    order = paid(line("TEA-1", quantity=2))
    payment = order.payments.get()
    body = json.dumps(
        {
            "id": "evt_refund",
            "type": "payment.refunded",
            "reference": payment.reference,
            "amount": str(order.grand_total),
        }
    ).encode()

    result = payments.webhook_receive(
        provider_code="sandbox",
        body=body,
        headers={"Sandbox-Signature": sandbox.sign(body)},
    )

    order.refresh_from_db()
    assert (result, order.status) == ("applied", "refunded")
    assert for_sale("TEA-1") == 2
    ledger_balances()


def test_a_partial_refund_by_amount_keeps_the_goods_allocated():
    order = paid(line("TEA-1", quantity=2))
    payments.order_refund(order_id=order.pk, actor="staff:1", reason="Dented", amount=eur("5"))
    assert held("TEA-1") == (2, 2)


def test_cancelling_the_whole_order_releases_everything_and_marks_the_units():
    order = paid(line("TEA-1", quantity=2))
    services.order_cancel(order_id=order.pk, actor="staff:1", reason="Fraud suspected")
    assert for_sale("TEA-1") == 2
    assert order.lines.get().cancelled_quantity == 2
    assert states_of(order.pk) == (PaymentState.REFUNDED, FulfilmentState.CANCELLED)


def test_a_refusal_counts_one_unit_as_one():
    """Not "1 units cannot be cancelled, 1 are left to ship"."""
    order = paid(line("TEA-1", quantity=1), line("MUG-1", quantity=1))
    with pytest.raises(InvalidOrder, match="TEA-1: 2 units cannot be cancelled, 1 is left"):
        cancel_units(order, "TEA-1", 2)


@pytest.mark.parametrize(
    ("quantity", "message"),
    [(0, "0 units cannot"), (3, "3 units cannot .* 2 are left"), (2, "cancel the order")],
)
def test_impossible_cancellations_are_refused_and_change_nothing(quantity, message):
    order = paid(line("TEA-1", quantity=2))
    with pytest.raises(InvalidOrder, match=message):
        cancel_units(order, "TEA-1", quantity)
    order.refresh_from_db()
    assert (order.status, order.refunded_total, for_sale("TEA-1")) == ("paid", 0, 0)


def test_units_of_an_unpaid_order_are_not_cancelled_one_by_one():
    order = place(line("TEA-1", quantity=2))
    with pytest.raises(InvalidOrder, match="cancel or refund it instead"):
        cancel_units(order, "TEA-1", 1)
