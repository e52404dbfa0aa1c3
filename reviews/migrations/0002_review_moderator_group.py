"""The "Review moderator" group: moderate and answer reviews, edit the rule; nothing else."""

from django.db import migrations

from kernel.roles import app_permissions, staff_group

GROUP = "Review moderator"
CODENAMES = [
    "view_review",
    "change_review",
    "view_report",
    "view_moderationrule",
    "change_moderationrule",
]


def create_group(apps, schema_editor):
    staff_group(apps, GROUP).permissions.set(
        app_permissions(apps, "reviews").filter(codename__in=CODENAMES)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
