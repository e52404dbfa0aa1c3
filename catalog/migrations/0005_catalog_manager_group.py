"""The "Catalog manager" group: staff in it may edit the catalog and nothing else."""

from django.db import migrations

GROUP = "Catalog manager"
#: The search projection is fed by events, not edited by people.
NOT_EDITABLE = {"skuprice", "skustock", "listingprice"}


def forwards(apps, schema_editor):
    """Django creates permissions only after all migrations, so make them here if missing."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = []
    for model in apps.get_app_config("catalog").get_models():
        name = model._meta.model_name
        if name in NOT_EDITABLE:
            continue
        content_type, _ = ContentType.objects.get_or_create(app_label="catalog", model=name)
        for action in ("add", "change", "delete", "view"):
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{name}",
                defaults={"name": f"Can {action} {model._meta.verbose_name}"},
            )
            permissions.append(permission)
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(permissions)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_search_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
