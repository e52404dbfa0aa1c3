"""Inventory's cached availability (inventory/cache.py): cached, fresh after each change."""

from inventory import api
from inventory.dtos import Line, StockStatus


def test_a_warm_read_makes_no_query_and_a_reservation_shows_at_once(
    put_stock, django_assert_num_queries
):
    put_stock("A", ber=3)
    put_stock("B", ber=5)
    api.availability(skus=["A", "B"])
    with django_assert_num_queries(0):
        assert api.availability(skus=["A", "B"])["A"].quantity_shown == 3
    api.reserve(owner="cart:1", lines=[Line("A", 3)])
    found = api.availability(skus=["A", "B"])
    assert found["A"].status is StockStatus.OUT
    assert found["B"].quantity_shown == 5


def test_a_receipt_of_a_sku_nobody_stocked_shows_at_once(put_stock):
    assert not api.availability(skus=["NEW"])["NEW"].purchasable
    put_stock("NEW", ber=2)
    assert api.availability(skus=["NEW"])["NEW"].quantity_shown == 2
