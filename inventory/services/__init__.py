"""Write use cases of inventory, each in one transaction, publishing events.

One module per sub-domain, all built on ``stock`` (the one lock order,
the shortage planner, the ledger and the announcer; its docstring argues
why nothing can be oversold):

* ``checkout``: reservations and allocations (reserve, allocate, release,
  ship), what orders calls during checkout and fulfilment;
* ``goods``: receipts, returns, adjustments, counted quantities, and
  re-announcing every SKU's stock;
* ``warehouses``: the warehouses allocation walks through, by priority.

Callers use the names below (``services.order_allocate``), wherever they live.
"""

from inventory.services.checkout import (
    order_allocate,
    order_release,
    order_ship,
    reservation_release,
    reservation_replace,
    reservations_purge_expired,
)
from inventory.services.goods import (
    order_restock,
    stock_adjust,
    stock_announce,
    stock_import,
    stock_receive,
    stock_set,
)
from inventory.services.warehouses import (
    warehouse_save,
    warehouse_upsert,
)

__all__ = [
    "order_allocate",
    "order_release",
    "order_restock",
    "order_ship",
    "reservation_release",
    "reservation_replace",
    "reservations_purge_expired",
    "stock_adjust",
    "stock_announce",
    "stock_import",
    "stock_receive",
    "stock_set",
    "warehouse_save",
    "warehouse_upsert",
]
