"""Django's admin app, with the back office's site as ``admin.site``.

A module of its own: beside ``BackOfficeConfig`` in apps.py, Django would
find two default app configs for the ``backoffice`` package.
"""

from django.contrib.admin import options
from django.contrib.admin.apps import AdminConfig

from kernel.adminkit import PLAIN_NUMBER_FIELDS, SHOWN_TEXT_FIELDS


class BackOfficeAdminConfig(AdminConfig):
    default_site = "backoffice.site.BackOfficeSite"

    def ready(self):
        """Every admin's numbers and texts read as the storefront's do
        (``PLAIN_NUMBER_FIELDS``, ``SHOWN_TEXT_FIELDS``).

        Django's defaults, which each model admin and inline copies when it is
        made, are the one place that reaches them all, third-party admins
        included; set before the admin modules are imported, which make them.
        """
        for model_field, overrides in {**PLAIN_NUMBER_FIELDS, **SHOWN_TEXT_FIELDS}.items():
            options.FORMFIELD_FOR_DBFIELD_DEFAULTS.setdefault(model_field, {}).update(overrides)
        super().ready()
