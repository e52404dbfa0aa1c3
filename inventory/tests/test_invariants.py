"""Whatever sequence of operations staff and checkouts perform, the books balance."""

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory import api, audit, services
from inventory.dtos import InventoryError, Line
from inventory.models import Allocation, Movement, Reservation, Stock
from kernel.databases import atomic, database_of
from kernel.tests.outboxes import event_count

SKUS = ["A", "B", "C"]


def snapshot() -> tuple:
    return (
        sorted(Stock.objects.values_list("pk", "on_hand", "allocated")),
        sorted(Reservation.objects.values_list("pk", "quantity")),
        sorted(Allocation.objects.values_list("pk", "quantity")),
        Movement.objects.count(),
        event_count(),
    )


lines = st.lists(
    st.builds(Line, sku=st.sampled_from(SKUS), quantity=st.integers(1, 4)), min_size=1, max_size=3
)
owners = st.sampled_from(["cart:1", "cart:2", "cart:3"])
orders = st.sampled_from(["O-1", "O-2", "O-3"])
warehouse_codes = st.sampled_from(["ber", "rtm"])

operations = st.one_of(
    st.builds(lambda o, ls: lambda: api.reserve(owner=o, lines=ls), owners, lines),
    st.builds(lambda o: lambda: api.release_reservation(owner=o), owners),
    st.builds(
        lambda ref, ls, o: lambda: api.allocate(order_ref=ref, lines=ls, reservation_owner=o),
        orders,
        lines,
        st.none() | owners,
    ),
    st.builds(
        lambda ref, ls: lambda: api.release_allocation(order_ref=ref, lines=ls),
        orders,
        st.none() | lines,
    ),
    st.builds(lambda ref, ls: lambda: api.ship(order_ref=ref, lines=ls), orders, st.none() | lines),
    st.builds(lambda ref, ls: lambda: api.restock(order_ref=ref, lines=ls), orders, lines),
    st.builds(
        lambda w, sku, q: lambda: services.stock_receive(warehouse_code=w, sku=sku, quantity=q),
        warehouse_codes,
        st.sampled_from(SKUS),
        st.integers(1, 5),
    ),
    st.builds(
        lambda w, sku, d: (
            lambda: services.stock_adjust(
                warehouse_code=w, sku=sku, quantity_delta=d, reason="count"
            )
        ),
        warehouse_codes,
        st.sampled_from(SKUS),
        st.integers(-5, 5).filter(bool),
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(operations, max_size=20))
def test_any_sequence_of_operations_keeps_stock_and_ledger_consistent(
    warehouses, catalog_skus, steps
):
    catalog_skus(*SKUS)
    with atomic("inventory"):
        for step in steps:
            before = snapshot()
            try:
                step()
            except InventoryError:
                assert snapshot() == before, "a refused operation wrote something"
            assert audit.discrepancies() == []
            for stock in Stock.objects.all():
                assert 0 <= stock.allocated <= stock.on_hand
        transaction.set_rollback(True, using=database_of("inventory"))
