"""The "Pricing manager" staff group (see pricing/permissions.py)."""

from django.db import migrations

from pricing.permissions import PRICING_MANAGER, grant_pricing_permissions


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PRICING_MANAGER).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pricing", "0002_prices_promotions_vouchers_experiments"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_pricing_permissions, remove_group)]
