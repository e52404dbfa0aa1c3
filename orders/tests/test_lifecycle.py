"""Every pair of statuses: allowed moves succeed and are recorded, all others are refused."""

import itertools

import pytest

from kernel.databases import atomic
from orders.dtos import TransitionNotAllowed
from orders.lifecycle import ALLOWED, OrderStatus, locked_order, transition
from orders.models import Order, OrderTransition
from orders.tests.factories import place

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(OrderStatus.values, repeat=2))
ALLOWED_PAIRS = [(a, b) for a, b in PAIRS if b in ALLOWED[a]]
FORBIDDEN_PAIRS = [(a, b) for a, b in PAIRS if b not in ALLOWED[a]]


def order_in(status: str) -> Order:
    order = place()
    Order.objects.filter(pk=order.pk).update(status=status)
    return order


@pytest.mark.parametrize(("current", "target"), ALLOWED_PAIRS)
def test_an_allowed_transition_changes_the_status_and_is_recorded(current, target):
    order = order_in(current)

    with atomic("orders"):
        transition(order=locked_order(order.pk), to=target, actor="staff:1 (alice)", reason="why")

    order.refresh_from_db()
    assert order.status == target
    last = order.transitions.last()
    assert (last.from_status, last.to_status, last.actor, last.reason) == (
        current,
        target,
        "staff:1 (alice)",
        "why",
    )


@pytest.mark.parametrize(("current", "target"), FORBIDDEN_PAIRS)
def test_a_forbidden_transition_is_refused_and_changes_nothing(current, target):
    order = order_in(current)
    before = OrderTransition.objects.count()

    with pytest.raises(TransitionNotAllowed), atomic("orders"):
        transition(order=locked_order(order.pk), to=target, actor="test")

    order.refresh_from_db()
    assert order.status == current
    assert OrderTransition.objects.count() == before


def test_the_table_covers_every_status_and_final_states_are_final():
    assert set(ALLOWED) == set(OrderStatus.values)
    assert ALLOWED[OrderStatus.CANCELLED] == ALLOWED[OrderStatus.REFUNDED] == frozenset()
    assert len(ALLOWED_PAIRS) == 21
