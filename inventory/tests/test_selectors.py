from datetime import timedelta

from django.utils import timezone

from inventory import api
from inventory.dtos import Line, StockLevel, StockStatus
from inventory.models import Reservation


def test_availability_answers_every_sku_with_status_and_capped_quantity(put_stock, settings):
    settings.INVENTORY_LOW_STOCK_THRESHOLD = 3
    settings.INVENTORY_SHOWN_QUANTITY_CAP = 10
    put_stock("MANY", ber=30, rtm=5)
    put_stock("FEW", rtm=3)
    put_stock("NONE", ber=0)

    found = api.availability(skus=["MANY", "FEW", "NONE", "UNKNOWN"])

    assert {sku: (a.status, a.quantity_shown) for sku, a in found.items()} == {
        "MANY": (StockStatus.IN_STOCK, 10),
        "FEW": (StockStatus.LOW, 3),
        "NONE": (StockStatus.OUT, 0),
        "UNKNOWN": (StockStatus.OUT, 0),
    }
    assert not found["UNKNOWN"].purchasable


def test_purchasable_is_exact_and_counts_the_buyers_own_holds(
    put_stock, settings, django_assert_num_queries
):
    settings.INVENTORY_SHOWN_QUANTITY_CAP = 10
    put_stock("MANY", ber=30, rtm=5)
    put_stock("FEW", rtm=4)
    api.reserve(owner="cart:1", lines=[Line("FEW", 3)])
    api.reserve(owner="cart:2", lines=[Line("FEW", 1)])
    api.allocate(order_ref="O-1", lines=[Line("MANY", 5)])

    with django_assert_num_queries(1):
        found = api.purchasable(skus=["MANY", "FEW", "UNKNOWN"], reservation_owner="cart:1")

    assert found == {"MANY": 30, "FEW": 3, "UNKNOWN": 0}  # not capped at 10
    assert api.purchasable(skus=["FEW"]) == {"FEW": 0}  # anyone else: all held


def test_availability_costs_the_same_queries_for_1_or_30_skus(put_stock, django_assert_num_queries):
    skus = [f"S-{i}" for i in range(30)]
    for sku in skus:
        put_stock(sku, ber=4, rtm=1)
        api.reserve(owner=f"cart:{sku}", lines=[Line(sku, 1)])
    api.allocate(order_ref="O-1", lines=[Line(sku, 1) for sku in skus])

    with django_assert_num_queries(1):
        api.availability(skus=skus[:1])
    with django_assert_num_queries(1):
        found = api.availability(skus=skus)
    assert {a.quantity_shown for a in found.values()} == {3}


def test_stock_levels_show_each_warehouse_in_allocation_order(put_stock):
    put_stock("A", rtm=5, ber=2)
    api.reserve(owner="cart:1", lines=[Line("A", 3)])
    Reservation.objects.create(
        owner="cart:gone",
        stock=Reservation.objects.first().stock,
        sku="A",
        quantity=9,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    api.allocate(order_ref="O-1", lines=[Line("A", 1)])

    assert api.stock_levels(skus=["A"]) == [
        StockLevel(sku="A", warehouse="ber", on_hand=2, allocated=0, reserved=2),
        StockLevel(sku="A", warehouse="rtm", on_hand=5, allocated=1, reserved=1),
    ]
