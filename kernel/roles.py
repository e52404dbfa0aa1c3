"""Staff roles as auth groups, created by each context's data migrations.

A role such as "Pricing manager" holds permissions of one context only, so
staff get exactly the part of the admin their job needs.

Groups and permissions are accounts' tables: with a database per context
they are in accounts' database, not in the one the context's migration
runs on, so they are written there (the router places them; accounts'
database is migrated first, kernel.databases.migration_order).
"""

from django.contrib.auth.management import create_permissions
from django.db import router


def app_permissions(apps, app_label: str):
    """The permissions of ``app_label``, created now if need be.

    Django creates permissions after ``migrate`` finishes (post_migrate);
    a data migration granting them on a fresh database has to create them
    first, with the migration's historical models.
    """
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    Permission = apps.get_model("auth", "Permission")
    create_permissions(app_config, apps=apps, verbosity=0, using=router.db_for_write(Permission))
    app_config.models_module = None
    return Permission.objects.filter(content_type__app_label=app_label)


def staff_group(apps, name: str):
    """The auth group ``name``, created if missing."""
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=name)
    return group
