"""Placing, cancelling, shipping and delivering orders: snapshots, events, refusals."""

import re
from decimal import Decimal

import pytest

from kernel.tests.outboxes import event_count, payloads
from orders import api, numbers, payments, selectors, services
from orders.dtos import InvalidOrder, OrderDetail, TransitionNotAllowed
from orders.models import Order, OrderLine, Payment
from orders.providers.base import Card
from orders.tests.factories import draft, eur, line, place

pytestmark = pytest.mark.django_db

VISA = Card(number="4242424242424242", exp_month=12, exp_year=2099, cvc="123")


def events(event_type: str) -> list[dict]:
    return payloads(event_type)


def paid_order(*lines, **fields) -> Order:
    order = place(*lines, **fields)
    payments.payment_start(
        order_id=order.pk, provider_code="sandbox", card=VISA, actor="customer:1"
    )
    order.refresh_from_db()
    return order


def test_placing_keeps_a_snapshot_of_every_line_and_publishes_order_placed():
    order = place(
        line("TEA-1", quantity=2, unit="12.50", experiment_variant="price-test:B"),
        line("MUG-1", quantity=1, unit="9.00"),
        customer_id=7,
    )

    assert re.fullmatch(r"CM-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", order.number)
    assert (order.status, order.customer_id, order.grand_total) == (
        "pending_payment",
        7,
        Decimal("38.900"),
    )
    assert order.shipping_address["postal_code"] == "10115"
    assert list(
        order.lines.values_list("sku", "title", "quantity", "unit_price", "experiment_variant")
    ) == [
        ("TEA-1", "Tea TEA-1", 2, Decimal("12.500"), "price-test:B"),
        ("MUG-1", "Tea MUG-1", 1, Decimal("9.000"), ""),
    ]
    (placed,) = events("orders.order_placed.v1")
    assert placed["order_number"] == order.number
    assert placed["grand_total"] == "38.90"
    assert placed["lines"][0] == {
        "sku": "TEA-1",
        "quantity": 2,
        "unit_price": "12.50",
        "experiment_variant": "price-test:B",
    }
    assert order.transitions.get().to_status == "pending_payment"


@pytest.mark.parametrize(
    ("bad_draft", "message"),
    [
        (lambda: draft(lines=()), "at least one line"),
        (lambda: draft(grand_total=eur("1.00")), "do not add up"),
        (lambda: draft(shipping_total=eur("-1")), "cannot be negative"),
        (lambda: draft(currency="USD"), "must be in USD"),
    ],
)
def test_an_incoherent_draft_is_refused_and_nothing_is_written(bad_draft, message):
    with pytest.raises(InvalidOrder, match=message):
        services.order_place(draft=bad_draft(), actor="test")
    assert not Order.objects.exists()
    assert event_count() == 0


def test_taxes_on_top_count_in_the_total():
    net = draft(prices_include_tax=False)
    with pytest.raises(InvalidOrder):
        services.order_place(draft=net, actor="test")
    order = services.order_place(
        draft=draft(prices_include_tax=False, grand_total=net.grand_total + net.tax_total),
        actor="test",
    )
    assert order.grand_total == (net.grand_total + net.tax_total).amount


def test_a_colliding_order_number_is_drawn_again(monkeypatch):
    first = place()
    drawn = iter([first.number, "CM-2222-3333"])
    monkeypatch.setattr(numbers, "new_order_number", lambda: next(drawn))

    assert place().number == "CM-2222-3333"


def test_order_numbers_are_normalised_from_what_shoppers_type():
    assert numbers.normalise(" cm 7kq4 x9pd ") == "CM-7KQ4-X9PD"
    assert numbers.normalise("CM-7KQ4-X9PD") == "CM-7KQ4-X9PD"


def test_cancelling_an_unpaid_order_voids_its_payment_and_publishes():
    order = place()
    pending = payments.payment_start(
        order_id=order.pk, provider_code="bank_transfer", actor="customer:1"
    )

    services.order_cancel(order_id=order.pk, actor="staff:2 (bob)", reason="Customer asked")

    order.refresh_from_db()
    pending.refresh_from_db()
    assert (order.status, pending.status) == ("cancelled", "voided")
    assert order.transitions.last().reason == "Customer asked"
    (cancelled,) = events("orders.order_cancelled.v1")
    assert cancelled["lines"] == [
        {"sku": "TEA-1", "quantity": 2, "unit_price": "0", "experiment_variant": ""}
    ]


def test_cancelling_a_paid_order_refunds_it_first():
    order = paid_order()

    services.order_cancel(order_id=order.pk, actor="staff:2 (bob)", reason="Out of stock")

    order.refresh_from_db()
    assert order.status == "cancelled"
    assert order.refunded_total == order.grand_total
    assert order.payments.get().status == "refunded"
    assert events("orders.order_refunded.v1")[0]["full"] is True


def test_a_shipped_order_cannot_be_cancelled_and_a_reason_is_required():
    order = paid_order()
    with pytest.raises(InvalidOrder):
        services.order_cancel(order_id=order.pk, actor="staff", reason=" ")
    services.order_ship(order_id=order.pk, actor="staff")
    with pytest.raises(TransitionNotAllowed):
        services.order_cancel(order_id=order.pk, actor="staff", reason="too late")
    order.refresh_from_db()
    assert order.status == "shipped"


def test_partial_shipments_then_the_rest_then_delivery():
    order = paid_order(line("TEA-1", quantity=3), line("MUG-1", quantity=1))
    tea = order.lines.get(sku="TEA-1")

    first = services.order_ship(
        order_id=order.pk,
        actor="staff",
        quantities={tea.pk: 2},
        tracking_number="1Z999",
        carrier="UPS",
    )
    order.refresh_from_db()
    assert order.status == "partially_shipped"
    with pytest.raises(TransitionNotAllowed):
        services.order_mark_delivered(order_id=order.pk, actor="staff")

    services.order_ship(order_id=order.pk, actor="staff")  # whatever is left
    order.refresh_from_db()
    assert order.status == "shipped"
    assert list(order.lines.values_list("shipped_quantity", flat=True)) == [3, 1]

    services.order_mark_delivered(order_id=order.pk, actor="carrier")
    order.refresh_from_db()
    assert order.status == "delivered"
    shipped = events("orders.order_shipped.v1")
    assert [e["complete"] for e in shipped] == [False, True]
    assert shipped[0]["tracking_number"] == "1Z999"
    assert shipped[0]["shipment_id"] == first.pk
    assert shipped[1]["lines"] == [
        {"sku": "TEA-1", "quantity": 1, "unit_price": "0", "experiment_variant": ""},
        {"sku": "MUG-1", "quantity": 1, "unit_price": "0", "experiment_variant": ""},
    ]


@pytest.mark.parametrize("quantity", [0, 4, -1])
def test_shipping_more_than_is_left_or_nothing_is_refused(quantity):
    order = paid_order(line("TEA-1", quantity=3))
    tea = order.lines.get()
    with pytest.raises(InvalidOrder):
        services.order_ship(order_id=order.pk, actor="staff", quantities={tea.pk: quantity})
    assert OrderLine.objects.get().shipped_quantity == 0


def test_shipping_a_line_of_another_order_or_an_unpaid_order_is_refused():
    order, other = paid_order(), place()
    with pytest.raises(InvalidOrder):
        services.order_ship(order_id=order.pk, actor="staff", quantities={other.lines.get().pk: 1})
    with pytest.raises(TransitionNotAllowed):
        services.order_ship(order_id=other.pk, actor="staff")


def test_notes_are_kept_with_their_author():
    order = place()
    services.order_note_add(order_id=order.pk, author="staff:2 (bob)", text=" Gift wrap ")
    with pytest.raises(InvalidOrder):
        services.order_note_add(order_id=order.pk, author="staff", text="")
    assert list(order.notes.values_list("author", "text")) == [("staff:2 (bob)", "Gift wrap")]


def test_the_payment_status_is_never_mixed_up_with_the_order_status():
    order = paid_order()
    assert order.status == "paid"
    assert order.payments.get().status == Payment.Status.CAPTURED


def test_the_public_api_places_an_order_and_answers_a_dto_that_reads_back_the_same():
    placed = api.place_order(draft=draft(customer_id=3), actor="customer:3")

    assert isinstance(placed, OrderDetail)
    assert placed.grand_total == eur("29.90")
    assert placed.shipping_address.city == "Berlin"
    # The customer's reads are orders' own pages' (selectors): no other context asks.
    assert selectors.order_of_customer(customer_id=3, number=placed.number) == placed
    assert selectors.order_of_customer(customer_id=4, number=placed.number) is None
    assert [o.number for o in selectors.orders_of_customer(customer_id=3).items] == [placed.number]


def test_delivery_publishes_order_delivered_with_the_customer_and_every_line():
    order = paid_order(line("TEA-1", quantity=2), line("MUG-1", quantity=1), customer_id=7)
    services.order_ship(order_id=order.pk, actor="staff")
    assert events("orders.order_delivered.v1") == []

    services.order_mark_delivered(order_id=order.pk, actor="carrier")

    (delivered,) = events("orders.order_delivered.v1")
    assert delivered["order_number"] == order.number
    assert delivered["customer_id"] == 7
    assert [(e["sku"], e["quantity"]) for e in delivered["lines"]] == [("TEA-1", 2), ("MUG-1", 1)]
    assert delivered["delivered_at"]
