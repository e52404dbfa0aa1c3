"""Demo stock in a second warehouse, so split allocations can be seen in the admin.

Runs after ``demo.seed_catalog_prices_stock`` (which fills the main
warehouse). Deterministic and idempotent like the rest of the demo data:
every fourth product also has a few units in Rotterdam, allocated from
after the main warehouse.
"""

from __future__ import annotations

from demo.catalog_seed import demo_products
from inventory import api as inventory_api

SECOND_WAREHOUSE = {"code": "rtm", "name": "Rotterdam", "country": "NL", "priority": 20}


def seed_second_warehouse() -> int:
    """Create the Rotterdam warehouse and its stock; returns how many SKUs it holds."""
    inventory_api.upsert_warehouse(**SECOND_WAREHOUSE)
    stocked = demo_products()[::4]
    for index, product in enumerate(stocked):
        inventory_api.set_stock(
            sku=product.sku, quantity=3 + index % 5, warehouse_code=SECOND_WAREHOUSE["code"]
        )
    return len(stocked)
