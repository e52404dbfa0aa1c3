"""inventory.api.low_stock: the SKUs running low, lowest first, counted in full."""

import pytest

from inventory import api

pytestmark = pytest.mark.django_db


def test_low_stock_lists_the_lowest_and_counts_them_all(
    settings, django_assert_num_queries, catalog_skus
):
    settings.INVENTORY_LOW_STOCK_THRESHOLD = 3
    catalog_skus("A", "B", "C", "D")
    api.upsert_warehouse(code="MAIN", name="Main", country="DE", priority=1)
    for sku, quantity in [("A", 1), ("B", 2), ("C", 3), ("D", 9)]:
        api.receive(warehouse_code="MAIN", sku=sku, quantity=quantity)

    with django_assert_num_queries(1):
        report = api.low_stock(limit=2)

    assert (report.threshold, report.total, report.lowest) == (3, 3, (("A", 1), ("B", 2)))
