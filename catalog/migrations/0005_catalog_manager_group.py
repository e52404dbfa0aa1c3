"""The "Catalog manager" group: staff in it may edit the catalog and nothing else."""

from django.db import migrations

from kernel.roles import app_permissions, staff_group

GROUP = "Catalog manager"
#: The search projection is fed by events, not edited by people.
NOT_EDITABLE = {"skuprice", "skustock", "listingprice"}


def forwards(apps, schema_editor):
    editable = app_permissions(apps, "catalog").exclude(content_type__model__in=NOT_EDITABLE)
    staff_group(apps, GROUP).permissions.set(editable)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_search_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
