"""The "Inventory clerk" staff role: inventory's permissions, nothing else.

A clerk sees everything of inventory, books receipts, adjustments and
imports, and maintains warehouses; the ledger and reservations have no
add/change/delete permission to give (they change only through services).

Used by the data migration that creates the group (with the migration's
historical models) and by nothing at run time.
"""

CLERK_GROUP = "Inventory clerk"
CLERK_ACTIONS = [
    "receive_stock",
    "adjust_stock",
    "import_stock",
    "add_warehouse",
    "change_warehouse",
]


def sync_clerk_group(apps) -> None:
    """Create the group if missing and give it exactly inventory's permissions.

    Permissions are normally created after ``migrate`` finishes; they are
    created here first so that the group gets them on a fresh database too.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("inventory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CLERK_GROUP)
    inventory = Permission.objects.filter(content_type__app_label="inventory")
    group.permissions.set(
        inventory.filter(codename__startswith="view_")
        | inventory.filter(codename__in=CLERK_ACTIONS)
    )
