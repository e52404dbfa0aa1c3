"""The "Pricing manager" staff group: every permission of pricing, nothing else.

Used by data migrations: the one that creates the group, and every later one
that adds a pricing model (its permissions must be granted too; a test
fails otherwise).
"""

from django.contrib.auth.management import create_permissions

PRICING_MANAGER = "Pricing manager"


def grant_pricing_permissions(apps, schema_editor) -> None:
    """Create pricing's permissions now (normally post_migrate) and give all to the group."""
    app_config = apps.get_app_config("pricing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=PRICING_MANAGER)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="pricing"))
