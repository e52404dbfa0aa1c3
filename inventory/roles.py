"""The "Inventory clerk" staff role: inventory's permissions, nothing else.

A clerk sees everything of inventory, books receipts, adjustments and
imports, and maintains warehouses; the ledger and reservations have no
add/change/delete permission to give (they change only through services).

Used by the data migration that creates the group (with the migration's
historical models) and by nothing at run time.
"""

from kernel.roles import app_permissions, staff_group

CLERK_GROUP = "Inventory clerk"
CLERK_ACTIONS = [
    "receive_stock",
    "adjust_stock",
    "import_stock",
    "add_warehouse",
    "change_warehouse",
]


def sync_clerk_group(apps) -> None:
    """Create the group if missing and give it exactly the clerk's permissions."""
    inventory = app_permissions(apps, "inventory")
    staff_group(apps, CLERK_GROUP).permissions.set(
        inventory.filter(codename__startswith="view_")
        | inventory.filter(codename__in=CLERK_ACTIONS)
    )
