"""The methods checkout offered when they were code: standard and express."""

from django.db import migrations

from orders.shipping import seed_default_methods


def seed(apps, schema_editor):
    seed_default_methods(apps.get_model("orders", "ShippingMethod"))


class Migration(migrations.Migration):
    dependencies = [("orders", "0007_shipping_methods")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
