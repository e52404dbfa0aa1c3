"""The skeleton's single-location stock survives the move to warehouses."""

import pytest
from django.db.migrations.executor import MigrationExecutor

from inventory import audit
from inventory.models import Movement, Stock
from kernel.databases import connection_of


@pytest.mark.django_db(transaction=True)
def test_stock_levels_become_main_warehouse_stock_with_an_opening_balance():
    connection = connection_of("inventory")  # inventory's migrations run on its database only
    executor = MigrationExecutor(connection)
    executor.migrate([("inventory", "0001_initial")])
    old_apps = executor.loader.project_state([("inventory", "0001_initial")]).apps
    StockLevel = old_apps.get_model("inventory", "StockLevel")
    StockLevel.objects.bulk_create(
        [StockLevel(sku="A", quantity=7), StockLevel(sku="B", quantity=0)]
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("inventory"))

    stock = {
        (s.warehouse.code, s.sku): s.on_hand for s in Stock.objects.select_related("warehouse")
    }
    assert stock == {("main", "A"): 7, ("main", "B"): 0}
    assert Movement.objects.get().on_hand_delta == 7
    assert audit.discrepancies() == []
