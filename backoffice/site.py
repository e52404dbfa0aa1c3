"""The admin site as a shop manager uses it: a dashboard, the shop's sections, then "System".

Contexts register their admins on ``admin.site`` as usual; this site only
arranges the index. Every model whose admin is a ``kernel.adminkit.SystemAdmin``
(outbox, deliveries, inbox, projections) leaves its context's section for
one "System" section at the end, which only those allowed to open plumbing
see (``SystemAdmin`` decides who).
"""

from __future__ import annotations

from django.contrib import admin

from backoffice import dashboard
from kernel.adminkit import SystemAdmin

SYSTEM = "system"


class BackOfficeSite(admin.AdminSite):
    site_header = "Commerce back office"
    site_title = "Commerce back office"
    index_title = "Today in the shop"
    index_template = "backoffice/index.html"

    def index(self, request, extra_context=None):
        """The sections, under the dashboard's panels (``backoffice.dashboard``)."""
        context = {"dashboard": dashboard.build(request.user), **(extra_context or {})}
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        system = []
        for app in apps:
            plumbing = [model for model in app["models"] if self._is_system(model)]
            app["models"] = [model for model in app["models"] if model not in plumbing]
            system += [{**model, "name": f"{model['name']} ({app['name']})"} for model in plumbing]
        apps = [app for app in apps if app["models"]]
        if system:
            apps.append(
                {
                    "name": "System",
                    "app_label": SYSTEM,
                    "app_url": "",
                    "has_module_perms": True,
                    "models": sorted(system, key=lambda model: model["name"]),
                }
            )
        return apps

    def _is_system(self, model: dict) -> bool:
        return isinstance(self._registry.get(model["model"]), SystemAdmin)
