from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from inventory import api, selectors, services
from inventory.dtos import HeldLine, InsufficientStock, InvalidQuantity, Line, Shortage
from inventory.models import Allocation, Movement, Reservation, Stock
from kernel import outbox


def on_hand(sku: str) -> dict[str, tuple[int, int]]:
    """{warehouse code: (on hand, allocated)} of ``sku``, warehouses holding none left out."""
    return {
        s.warehouse.code: (s.on_hand, s.allocated)
        for s in Stock.objects.filter(sku=sku).select_related("warehouse")
        if s.on_hand or s.allocated
    }


def sellable(sku: str) -> int:
    return selectors.sellable_by_sku(skus=[sku])[sku]


# --- reservations -------------------------------------------------------------


def test_a_reservation_holds_units_and_follows_warehouse_priority(put_stock):
    put_stock("A", ber=2, rtm=5)

    held = api.reserve(owner="cart:1", lines=[Line("A", 3)], ttl=timedelta(minutes=5))

    assert held.lines == (HeldLine("A", "ber", 2), HeldLine("A", "rtm", 1))
    assert sellable("A") == 4
    assert on_hand("A") == {"ber": (2, 0), "rtm": (5, 0)}  # holds do not move stock


def test_lines_of_the_same_sku_are_summed_before_checking(put_stock):
    put_stock("A", ber=3)

    with pytest.raises(InsufficientStock) as raised:
        api.reserve(owner="cart:1", lines=[Line("A", 2), Line("A", 2)])

    assert raised.value.shortages == (Shortage(sku="A", requested=4, available=3),)
    assert not Reservation.objects.exists()


def test_a_short_line_fails_the_whole_basket_and_names_every_short_sku(put_stock):
    put_stock("A", ber=5)
    put_stock("B", ber=1)

    with pytest.raises(InsufficientStock) as raised:
        api.reserve(owner="cart:1", lines=[Line("A", 1), Line("B", 2), Line("NOPE", 1)])

    assert [(s.sku, s.missing) for s in raised.value.shortages] == [("B", 1), ("NOPE", 1)]
    assert not Reservation.objects.exists()


def test_reserving_again_replaces_the_owners_earlier_holds(put_stock):
    put_stock("A", ber=5)
    put_stock("B", ber=5)
    api.reserve(owner="cart:1", lines=[Line("A", 4)])

    api.reserve(owner="cart:1", lines=[Line("B", 1)])

    assert (sellable("A"), sellable("B")) == (5, 4)


def test_other_owners_holds_count_against_availability(put_stock):
    put_stock("A", ber=3)
    api.reserve(owner="cart:1", lines=[Line("A", 2)])

    with pytest.raises(InsufficientStock):
        api.reserve(owner="cart:2", lines=[Line("A", 2)])
    assert api.availability(skus=["A"])["A"].quantity_shown == 1


def test_an_expired_reservation_stops_counting_before_any_cleanup(put_stock):
    put_stock("A", ber=3)
    api.reserve(owner="cart:1", lines=[Line("A", 3)])
    assert not api.availability(skus=["A"])["A"].purchasable

    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert Reservation.objects.count() == 1
    # What can be sold is counted fresh (pages' cached availability catches up
    # within inventory.cache.TTL_SECONDS: an expiry publishes no event).
    assert api.purchasable(skus=["A"]) == {"A": 3}
    api.reserve(owner="cart:2", lines=[Line("A", 3)])


def test_the_purge_deletes_only_expired_reservations(put_stock):
    put_stock("A", ber=5)
    api.reserve(owner="cart:old", lines=[Line("A", 1)])
    api.reserve(owner="cart:new", lines=[Line("A", 1)])
    Reservation.objects.filter(owner="cart:old").update(expires_at=timezone.now())

    assert services.reservations_purge_expired() == 1
    assert list(Reservation.objects.values_list("owner", flat=True)) == ["cart:new"]


def test_releasing_a_reservation_gives_the_units_back(put_stock):
    put_stock("A", ber=2)
    api.reserve(owner="cart:1", lines=[Line("A", 2)])

    api.release_reservation(owner="cart:1")
    api.release_reservation(owner="cart:1")

    assert sellable("A") == 2


@pytest.mark.parametrize("quantity", [0, -1, True, 1.5])
def test_non_positive_or_non_integer_quantities_are_refused(put_stock, quantity):
    put_stock("A", ber=2)
    with pytest.raises(InvalidQuantity):
        api.reserve(owner="cart:1", lines=[Line("A", quantity)])
    assert not Reservation.objects.exists()


def test_each_release_takes_exactly_its_own_target():
    with pytest.raises(TypeError):
        api.release_reservation()
    with pytest.raises(TypeError):
        api.release_allocation(owner="cart:1", order_ref="O-1")


# --- allocations, shipping, returns -------------------------------------------


def test_allocating_turns_the_holds_into_allocations_split_by_priority(put_stock):
    put_stock("A", ber=2, rtm=5)
    api.reserve(owner="cart:1", lines=[Line("A", 3)])

    allocation = api.allocate(order_ref="O-1", lines=[Line("A", 3)], reservation_owner="cart:1")

    assert allocation.lines == (HeldLine("A", "ber", 2), HeldLine("A", "rtm", 1))
    assert not Reservation.objects.exists()
    assert on_hand("A") == {"ber": (2, 2), "rtm": (5, 1)}
    assert sellable("A") == 4


def test_allocation_is_idempotent_per_order(put_stock):
    put_stock("A", ber=5)
    first = api.allocate(order_ref="O-1", lines=[Line("A", 2)])

    again = api.allocate(order_ref="O-1", lines=[Line("A", 2)])

    assert again == first
    assert on_hand("A") == {"ber": (5, 2)}


def test_allocation_cannot_take_units_held_by_another_cart(put_stock):
    put_stock("A", ber=2)
    api.reserve(owner="cart:other", lines=[Line("A", 2)])

    with pytest.raises(InsufficientStock):
        api.allocate(order_ref="O-1", lines=[Line("A", 1)], reservation_owner="cart:mine")
    assert not Allocation.objects.exists()


def test_a_failed_allocation_keeps_the_reservation(put_stock):
    put_stock("A", ber=1)
    api.reserve(owner="cart:1", lines=[Line("A", 1)])

    with pytest.raises(InsufficientStock):
        api.allocate(order_ref="O-1", lines=[Line("A", 2)], reservation_owner="cart:1")
    assert Reservation.objects.filter(owner="cart:1").exists()


def test_cancelling_releases_the_allocation_once(put_stock):
    put_stock("A", ber=3)
    api.allocate(order_ref="O-1", lines=[Line("A", 2)])

    api.release_allocation(order_ref="O-1")
    api.release_allocation(order_ref="O-1")

    assert on_hand("A") == {"ber": (3, 0)}
    assert Movement.objects.filter(kind=Movement.Kind.RELEASE).count() == 1


def test_shipping_takes_units_off_hand_once(put_stock):
    put_stock("A", ber=1, rtm=3)
    api.allocate(order_ref="O-1", lines=[Line("A", 2)])

    shipped = api.ship(order_ref="O-1")
    second = api.ship(order_ref="O-1")

    assert shipped.lines == (HeldLine("A", "ber", 1), HeldLine("A", "rtm", 1))
    assert second.lines == ()
    assert on_hand("A") == {"rtm": (2, 0)}


def test_a_return_goes_back_on_hand_in_the_default_warehouse(put_stock):
    put_stock("A", rtm=1)

    api.restock(order_ref="O-1", lines=[Line("A", 2)])

    assert on_hand("A") == {"ber": (2, 0), "rtm": (1, 0)}
    assert Movement.objects.get(kind=Movement.Kind.RETURN).reference == "O-1"


# --- receipts and adjustments ---------------------------------------------------


def test_a_receipt_adds_on_hand_with_a_ledger_line(warehouses, catalog_skus):
    catalog_skus("A")

    services.stock_receive(warehouse_code="rtm", sku="A", quantity=4, reference="DN-7", actor="kim")
    services.stock_receive(warehouse_code="rtm", sku="A", quantity=1)

    assert on_hand("A") == {"rtm": (5, 0)}
    receipt = Movement.objects.filter(kind=Movement.Kind.RECEIPT).last()
    assert (receipt.on_hand_delta, receipt.reference, receipt.actor) == (4, "DN-7", "kim")


def test_an_adjustment_cannot_take_away_units_orders_hold(put_stock, catalog_skus):
    catalog_skus("A")
    put_stock("A", ber=3)
    api.allocate(order_ref="O-1", lines=[Line("A", 2)])

    with pytest.raises(InsufficientStock):
        services.stock_adjust(warehouse_code="ber", sku="A", quantity_delta=-2, reason="damaged")
    services.stock_adjust(warehouse_code="ber", sku="A", quantity_delta=-1, reason="damaged")

    assert on_hand("A") == {"ber": (2, 2)}


def test_set_stock_goes_through_the_ledger_into_the_first_warehouse(warehouses):
    api.set_stock(sku="A", quantity=7)
    api.set_stock(sku="A", quantity=4)
    api.set_stock(sku="A", quantity=4)

    assert on_hand("A") == {"ber": (4, 0)}
    assert list(Movement.objects.values_list("on_hand_delta", flat=True)) == [-3, 7]


def test_a_sku_gets_a_stock_row_in_every_warehouse_at_once(warehouses):
    api.set_stock(sku="A", quantity=2, warehouse_code="rtm")
    assert sorted(Stock.objects.values_list("warehouse__code", "on_hand")) == [
        ("ber", 0),
        ("rtm", 2),
    ]


def test_set_stock_creates_the_main_warehouse_on_an_empty_database(db):
    api.set_stock(sku="A", quantity=2)
    assert on_hand("A") == {"main": (2, 0)}


def test_the_database_refuses_negative_and_over_allocated_stock(warehouses):
    stock = Stock.objects.create(warehouse=warehouses[0], sku="A", on_hand=1)
    with pytest.raises(IntegrityError):
        Stock.objects.filter(pk=stock.pk).update(allocated=2)


# --- events -------------------------------------------------------------------


def published(event_type: str) -> list[dict]:
    return list(outbox.published(event_type).order_by("id").values_list("payload", flat=True))


def test_every_change_of_the_sellable_quantity_is_published(put_stock):
    put_stock("A", ber=10)
    api.reserve(owner="cart:1", lines=[Line("A", 2)])
    api.allocate(order_ref="O-1", lines=[Line("A", 2)], reservation_owner="cart:1")
    api.ship(order_ref="O-1")  # sellable unchanged: no event

    quantities = [p["quantity"] for p in published("inventory.stock_changed.v1")]
    assert quantities == [10, 8]


def test_low_stock_is_published_once_per_crossing(put_stock, settings):
    settings.INVENTORY_LOW_STOCK_THRESHOLD = 5
    put_stock("A", ber=8)
    api.reserve(owner="cart:1", lines=[Line("A", 3)])  # 5: crosses
    api.reserve(owner="cart:2", lines=[Line("A", 1)])  # 4: still low
    api.release_reservation(owner="cart:1")  # 7: back above
    api.reserve(owner="cart:3", lines=[Line("A", 4)])  # 3: crosses again

    assert [p["quantity"] for p in published("inventory.low_stock.v1")] == [5, 3]


def test_the_database_refuses_negative_on_hand(warehouses):
    stock = Stock.objects.create(warehouse=warehouses[0], sku="A", on_hand=1)
    with pytest.raises(IntegrityError):
        Stock.objects.filter(pk=stock.pk).update(on_hand=-1)


@pytest.mark.parametrize("country", ["Germany", "D", "d3"])
def test_a_warehouse_needs_a_two_letter_country(db, country):
    with pytest.raises(ValidationError):
        services.warehouse_upsert(code="x", name="X", country=country, priority=1)


def test_warehouse_countries_are_stored_in_capitals(db):
    assert services.warehouse_upsert(code="x", name="X", country="nl", priority=1).country == "NL"


def test_a_partial_shipment_takes_units_in_priority_order(put_stock):
    put_stock("A", ber=2, rtm=3)
    put_stock("B", ber=1)
    api.allocate(order_ref="O-1", lines=[Line("A", 4), Line("B", 1)])

    shipped = api.ship(order_ref="O-1", lines=[Line("A", 3)])

    assert shipped.lines == (HeldLine("A", "ber", 2), HeldLine("A", "rtm", 1))
    assert on_hand("A") == {"rtm": (2, 1)}
    assert sorted(Allocation.objects.values_list("sku", "quantity")) == [("A", 1), ("B", 1)]
    assert api.ship(order_ref="O-1").lines == (HeldLine("A", "rtm", 1), HeldLine("B", "ber", 1))


def test_a_partial_cancellation_releases_only_its_lines(put_stock):
    put_stock("A", ber=5)
    api.allocate(order_ref="O-1", lines=[Line("A", 3)])

    api.release_allocation(order_ref="O-1", lines=[Line("A", 1)])

    assert on_hand("A") == {"ber": (5, 2)}
    assert Allocation.objects.get().quantity == 2


def test_shipping_more_than_the_order_holds_is_refused_and_changes_nothing(put_stock):
    put_stock("A", ber=5)
    api.allocate(order_ref="O-1", lines=[Line("A", 2)])

    with pytest.raises(InsufficientStock) as raised:
        api.ship(order_ref="O-1", lines=[Line("A", 1), Line("A", 2)])

    assert raised.value.shortages == (Shortage(sku="A", requested=3, available=2),)
    assert on_hand("A") == {"ber": (5, 2)}
    assert not Movement.objects.filter(kind=Movement.Kind.SHIPMENT).exists()


def test_a_new_warehouse_gets_a_row_for_every_stocked_sku(put_stock):
    put_stock("A", ber=1)
    put_stock("B", rtm=2)

    services.warehouse_upsert(code="par", name="Paris", country="FR", priority=30)

    assert sorted(Stock.objects.filter(warehouse__code="par").values_list("sku", "on_hand")) == [
        ("A", 0),
        ("B", 0),
    ]
