"""The "Order fulfilment" staff group: everything on orders, nothing else, no deletes."""

from django.db import migrations

from kernel.roles import app_permissions, staff_group

GROUP = "Order fulfilment"
CUSTOM = ["capture_payment", "ship_order", "cancel_order", "refund_order"]
VIEW = ["order", "orderline", "ordernote", "ordertransition", "payment", "paymentrefund", "shipment", "shipmentline"]


def create_group(apps, schema_editor):
    codenames = [*CUSTOM, "change_order", "add_ordernote", *(f"view_{model}" for model in VIEW)]
    staff_group(apps, GROUP).permissions.set(
        app_permissions(apps, "orders").filter(codename__in=codenames)
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
