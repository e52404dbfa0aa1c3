"""The methods checkout offered when they were code: standard and express."""

from decimal import Decimal

from django.db import migrations

METHODS = [
    {
        "code": "standard",
        "name": "Standard (3-5 days)",
        "kind": "flat",
        "price": Decimal("4.90"),
        "free_over": Decimal("50"),
        "position": 10,
    },
    {
        "code": "express",
        "name": "Express (1-2 days)",
        "kind": "weight",
        "price": Decimal("7.90"),
        "per_kg": Decimal("1.50"),
        "position": 20,
    },
]


def seed(apps, schema_editor):
    ShippingMethod = apps.get_model("orders", "ShippingMethod")
    for method in METHODS:
        ShippingMethod.objects.get_or_create(code=method["code"], defaults=method)


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_shipping_methods")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
