"""The "Pricing manager" staff group: every permission of pricing, nothing else.

Permissions are normally created after all migrations ran (post_migrate);
they are created here first so the group gets them on a fresh database.
A later migration that adds a pricing model must add its permissions to
the group the same way (call ``grant_pricing_permissions``).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Pricing manager"


def grant_pricing_permissions(apps, schema_editor):
    app_config = apps.get_app_config("pricing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="pricing"))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pricing", "0002_prices_promotions_vouchers_experiments"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_pricing_permissions, remove_group)]
