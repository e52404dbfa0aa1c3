"""The "Order fulfilment" staff group: everything on orders, nothing else, no deletes.

Permissions are normally created after all migrations (post_migrate); they
are created here first so the group is complete on a fresh database too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Order fulfilment"
CUSTOM = ["capture_payment", "ship_order", "cancel_order", "refund_order"]
VIEW = ["order", "orderline", "ordernote", "ordertransition", "payment", "paymentrefund", "shipment", "shipmentline"]


def create_group(apps, schema_editor):
    orders_config = apps.get_app_config("orders")
    orders_config.models_module = True
    create_permissions(orders_config, apps=apps, verbosity=0)
    orders_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [*CUSTOM, "change_order", "add_ordernote", *(f"view_{model}" for model in VIEW)]
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
