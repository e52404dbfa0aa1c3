"""The warehouses, in the priority order allocation walks through."""

from __future__ import annotations

from inventory.models import Stock, Warehouse
from kernel.databases import atomic


@atomic("inventory")
def warehouse_save(*, warehouse: Warehouse) -> Warehouse:
    """Save a warehouse edited in the admin (validated; its priority orders allocation).

    A new warehouse gets an empty stock row for every SKU stocked anywhere,
    keeping "a SKU has a row in every warehouse" true (see ``stock.lock_stock_rows``).
    """
    is_new = warehouse.pk is None
    warehouse.country = warehouse.country.upper()
    warehouse.full_clean()
    warehouse.save()
    if is_new:
        skus = Stock.objects.order_by("sku").values_list("sku", flat=True).distinct()
        Stock.objects.bulk_create(
            [Stock(warehouse=warehouse, sku=sku) for sku in skus], ignore_conflicts=True
        )
    return warehouse


@atomic("inventory")
def warehouse_upsert(*, code: str, name: str, country: str, priority: int) -> Warehouse:
    """Create or update the warehouse ``code`` (demo seeding, setup scripts)."""
    warehouse = Warehouse.objects.filter(code=code).first() or Warehouse(code=code)
    warehouse.name, warehouse.country, warehouse.priority = name, country, priority
    return warehouse_save(warehouse=warehouse)
