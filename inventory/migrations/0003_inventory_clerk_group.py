from django.db import migrations

from inventory.roles import sync_clerk_group


def create_clerk_group(apps, schema_editor):
    sync_clerk_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_warehouses_stock_ledger"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_clerk_group, migrations.RunPython.noop)]
