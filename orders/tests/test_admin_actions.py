"""The staff order page offers an action exactly when its service would accept it.

Orders are built in every state staff meet; for each state and each action,
the page either offers the button and posting its form succeeds, or does
not offer it and the same post is refused.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from orders import payments, services
from orders.admin_actions import ACTIONS
from orders.models import FulfilmentState, Order, PaymentRefund, PaymentState
from orders.states import states_of
from orders.tests.factories import eur, line, place
from orders.tests.test_corrections import paid

pytestmark = pytest.mark.django_db


def two_lines() -> Order:
    return paid(line("TEA-1", quantity=2), line("MUG-1", quantity=1))


def shipped() -> Order:
    order = two_lines()
    services.order_ship(order_id=order.pk, actor="t")
    return order


def delivered() -> Order:
    order = shipped()
    services.order_mark_delivered(order_id=order.pk, actor="t")
    return order


def partially_shipped() -> Order:
    order = two_lines()
    tea = order.lines.get(sku="TEA-1")
    services.order_ship(order_id=order.pk, actor="t", quantities={tea.pk: 1})
    return order


def refunded_in_part(order: Order) -> Order:
    payments.order_refund(order_id=order.pk, actor="t", reason="Dented", amount=eur("5"))
    return order


def awaiting_transfer() -> Order:
    order = place()
    payments.payment_start(order_id=order.pk, provider_code="bank_transfer", actor="c")
    return order


def cancelled() -> Order:
    order = place()
    services.order_cancel(order_id=order.pk, actor="t", reason="Fraud")
    return order


def refunded() -> Order:
    order = two_lines()
    payments.order_refund(order_id=order.pk, actor="t", reason="Lost")
    return order


def rest_cancelled_then_shipped() -> Order:
    order = two_lines()
    mug = order.lines.get(sku="MUG-1")
    services.order_line_cancel(order_id=order.pk, line_id=mug.pk, quantity=1, actor="t", reason="x")
    services.order_ship(order_id=order.pk, actor="t")
    return order


STATES = {
    "pending, no payment": place,
    "pending, bank transfer awaited": awaiting_transfer,
    "paid": two_lines,
    "paid, a single unit": lambda: paid(line("TEA-1", quantity=1)),
    "partially shipped": partially_shipped,
    "shipped": shipped,
    "delivered": delivered,
    "partially refunded, nothing shipped": lambda: refunded_in_part(two_lines()),
    "partially refunded, partly shipped": lambda: refunded_in_part(partially_shipped()),
    "partially refunded, shipped": lambda: refunded_in_part(shipped()),
    "partially refunded after delivery": lambda: refunded_in_part(delivered()),
    "a line cancelled, the rest shipped": rest_cancelled_then_shipped,
    "refunded": refunded,
    "cancelled": cancelled,
}


def form_data(order: Order, action: str) -> dict:
    """What a member of staff would submit: everything left, the first open line, a reason."""
    open_lines = [item for item in order.lines.all() if item.unshipped_quantity]
    waiting = order.payments.filter(status__in=["authorized", "pending"]).first()
    return {
        "capture": {"payment": waiting.pk if waiting else ""},
        "ship": {
            "carrier": "DHL",
            **{f"line_{item.pk}": item.unshipped_quantity for item in open_lines},
        },
        "deliver": {"reason": ""},
        "cancel": {"reason": "Customer asked"},
        "cancel_line": {
            "line": open_lines[0].pk if open_lines else "",
            "quantity": 1,
            "reason": "Out of stock",
        },
        "refund": {"amount": "", "reason": "Goodwill"},
    }[action]


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("fred", "fred@example.com", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Order fulfilment"))
    client.force_login(user)
    return client


def offered(client, order: Order) -> set[str]:
    page = client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    return set(re.findall(rf"/orders/order/{order.pk}/act/(\w+)/", page))


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("state", list(STATES))
def test_an_action_is_offered_exactly_when_it_succeeds(staff, state, action):
    order = STATES[state]()
    is_offered = action in offered(staff, order)

    response = staff.post(f"/admin/orders/order/{order.pk}/act/{action}/", form_data(order, action))

    if is_offered:
        assert response.status_code == 302, response.content.decode()[-3000:]
    else:
        assert response.status_code == 200  # the form again, with the refusal
        assert "errorlist" in response.content.decode()


def test_every_state_offers_something_or_is_final(staff):
    finals = {"refunded", "cancelled"}
    for state, build in STATES.items():
        assert bool(offered(staff, build())) != (state in finals), state


def test_the_list_shows_payment_and_fulfilment_apart_and_filters_by_each(staff):
    partly = refunded_in_part(shipped())
    waiting = place()
    assert states_of(partly.pk) == (PaymentState.PARTIALLY_REFUNDED, FulfilmentState.SHIPPED)

    page = staff.get("/admin/orders/order/").content.decode()
    by_payment = staff.get("/admin/orders/order/?payment_state=partially_refunded")
    by_fulfilment = staff.get("/admin/orders/order/?fulfilment_state=unfulfilled")
    detail = staff.get(f"/admin/orders/order/{partly.pk}/change/").content.decode()

    assert "Partially refunded" in page
    assert "Unfulfilled" in page
    assert partly.number in by_payment.content.decode()
    assert waiting.number not in by_payment.content.decode()
    assert waiting.number in by_fulfilment.content.decode()
    assert partly.number not in by_fulfilment.content.decode()
    assert "Partially refunded" in detail
    assert "Shipped" in detail


@pytest.mark.parametrize("amount", ["0.005", "1.001"])
def test_a_refund_finer_than_the_currency_is_refused_on_its_field(staff, amount):
    """Rounded, it would give back more (or less) than staff typed."""
    order = shipped()
    response = staff.post(
        f"/admin/orders/order/{order.pk}/act/refund/", {"amount": amount, "reason": "Goodwill"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"amount": ["EUR has 2 decimals."]}
    assert not PaymentRefund.objects.exists()
