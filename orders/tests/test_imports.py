"""Imported orders: the live services replayed, each step dated when it happened."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from inventory import api as inventory_api
from kernel import eventcodec, relay
from kernel.tests.outboxes import event_count, published
from orders import api as orders_api
from orders.dtos import InvalidOrder, PastStep, TransitionNotAllowed
from orders.events import OrderDelivered, OrderPlaced
from orders.models import Order, OrderStatus, Payment, Shipment
from orders.tests.factories import draft, eur, line, warehouse
from tests.builders import simple_product

pytestmark = pytest.mark.django_db

NUMBER = "CM-DEMO-2345"


@pytest.fixture
def stocked():
    """Two teas, known to the catalog, with 5 units each in the main warehouse."""
    for sku in ("TEA-1", "TEA-2"):
        simple_product(sku=sku, title=f"Tea {sku}")
        inventory_api.receive(warehouse_code=warehouse(), sku=sku, quantity=5)


def _days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def _events(event_class) -> list:
    rows = published(event_class.event_type).order_by("id")
    return [eventcodec.decode(event_class, row.payload) for row in rows]


def _allocated(sku: str) -> int:
    return sum(level.allocated for level in inventory_api.stock_levels(skus=[sku]))


def test_each_step_is_recorded_and_published_when_it_happened(stocked):
    placed = _days_ago(30)
    steps = [
        PastStep("authorize", placed + timedelta(minutes=1)),
        PastStep("capture", placed + timedelta(minutes=2)),
        PastStep("ship", placed + timedelta(days=1)),
        PastStep("deliver", placed + timedelta(days=3)),
        PastStep("refund", placed + timedelta(days=9), amount=eur("5.00"), reason="Dented tin"),
    ]

    assert orders_api.import_order(
        draft=draft(line("TEA-1", quantity=2)), number=NUMBER, placed_at=placed, steps=steps
    )

    order = Order.objects.get(number=NUMBER)
    assert order.status == OrderStatus.PARTIALLY_REFUNDED
    assert order.placed_at == placed
    assert order.delivered_at == steps[3].at
    assert [t.created_at for t in order.transitions.all()] == [
        placed,
        steps[1].at,
        steps[2].at,
        steps[3].at,
        steps[4].at,
    ]
    assert Shipment.objects.get(order=order).shipped_at == steps[2].at
    payment = Payment.objects.get(order=order)
    assert (payment.created_at, payment.refunds.get().created_at) == (steps[0].at, steps[4].at)
    [placed_event] = _events(OrderPlaced)
    [delivered_event] = _events(OrderDelivered)
    assert (placed_event.placed_at, delivered_event.delivered_at) == (placed, steps[3].at)


def test_shipped_history_moves_no_stock_and_what_is_left_to_ship_is_allocated(stocked):
    placed = _days_ago(2)
    orders_api.import_order(
        draft=draft(line("TEA-1", quantity=3), line("TEA-2", quantity=1)),
        number=NUMBER,
        placed_at=placed,
        steps=[
            PastStep("authorize", placed),
            PastStep("capture", placed),
            PastStep("ship", placed + timedelta(days=1), units=(("TEA-1", 1),)),
        ],
    )

    assert Order.objects.get(number=NUMBER).status == OrderStatus.PARTIALLY_SHIPPED
    assert (_allocated("TEA-1"), _allocated("TEA-2")) == (2, 1)
    assert inventory_api.purchasable(skus=["TEA-1", "TEA-2"]) == {"TEA-1": 3, "TEA-2": 4}


def test_a_payment_left_authorized_waits_for_capture(stocked):
    orders_api.import_order(
        draft=draft(),
        number=NUMBER,
        placed_at=_days_ago(1),
        steps=[PastStep("authorize", _days_ago(1))],
    )

    assert orders_api.order_backlog().awaiting_capture == 1


def test_a_cancelled_order_holds_no_stock_and_nobody_is_emailed(stocked):
    placed = _days_ago(20)
    orders_api.import_order(
        draft=draft(),
        number=NUMBER,
        placed_at=placed,
        steps=[
            PastStep("authorize", placed, provider="bank_transfer"),
            PastStep("cancel", placed + timedelta(days=7), reason="No transfer came."),
        ],
    )
    relay.relay(dispatch=relay.deliver_due)

    assert Order.objects.get(number=NUMBER).status == OrderStatus.CANCELLED
    assert _allocated("TEA-1") == 0
    assert mail.outbox == []


def test_an_order_that_exists_is_left_alone(stocked):
    placed = _days_ago(3)
    assert orders_api.import_order(draft=draft(), number=NUMBER, placed_at=placed)
    events = event_count()

    assert not orders_api.import_order(draft=draft(), number=NUMBER.lower(), placed_at=placed)
    assert event_count() == events
    assert orders_api.existing_numbers(numbers=[NUMBER, "CM-NONE-2345"]) == {NUMBER}


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([PastStep("ship", _days_ago(9))], "in order"),
        ([PastStep("authorize", timezone.now() + timedelta(days=1))], "in the past"),
        ([PastStep("teleport", _days_ago(1))], "Unknown step"),
    ],
)
def test_a_history_out_of_order_in_the_future_or_unknown_is_refused(stocked, steps, message):
    with pytest.raises(InvalidOrder, match=message):
        orders_api.import_order(draft=draft(), number=NUMBER, placed_at=_days_ago(5), steps=steps)

    assert not Order.objects.exists()


def test_a_step_the_state_machine_refuses_keeps_nothing(stocked):
    with pytest.raises(TransitionNotAllowed, match="pending payment cannot be shipped"):
        orders_api.import_order(
            draft=draft(),
            number=NUMBER,
            placed_at=_days_ago(5),
            steps=[PastStep("ship", _days_ago(4))],
        )

    assert not Order.objects.exists()
    assert not published(OrderPlaced.event_type).exists()


def test_an_order_whose_open_units_are_not_in_stock_is_refused(stocked):
    with pytest.raises(InvalidOrder, match="cannot be imported"):
        orders_api.import_order(
            draft=draft(line("TEA-1", quantity=6)), number=NUMBER, placed_at=_days_ago(1)
        )

    assert not Order.objects.exists()
    assert _allocated("TEA-1") == 0
