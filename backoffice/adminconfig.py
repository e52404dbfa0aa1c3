"""Django's admin app, with the back office's site as ``admin.site``.

A module of its own: beside ``BackOfficeConfig`` in apps.py, Django would
find two default app configs for the ``backoffice`` package.
"""

from django.contrib.admin.apps import AdminConfig


class BackOfficeAdminConfig(AdminConfig):
    default_site = "backoffice.site.BackOfficeSite"
