"""The admin site as a shop manager uses it: a dashboard, the shop's sections, then "System".

Contexts register their admins on ``admin.site`` as usual; this site only
arranges the index. Every model whose admin is a ``kernel.adminkit.SystemAdmin``
(outbox, deliveries, inbox, projections) leaves its context's section for
one "System" section at the end, which only those allowed to open plumbing
see (``SystemAdmin`` decides who).
"""

from __future__ import annotations

import datetime
import logging
from functools import partial, wraps

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ERROR_FLAG, IGNORED_PARAMS, PAGE_VAR
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.http import HttpResponseBadRequest, HttpResponseRedirect

from backoffice import dashboard
from kernel.adminkit import SystemAdmin

SYSTEM = "system"

logger = logging.getLogger(__name__)


class BackOfficeSite(admin.AdminSite):
    site_header = "Commerce back office"
    site_title = "Commerce back office"
    index_title = "Today in the shop"
    index_template = "backoffice/index.html"

    def index(self, request, extra_context=None):
        """The sections, under the dashboard's panels (``backoffice.dashboard``). A role no
        panel is for (a catalog manager) gets its sections under their own title, not
        "Today in the shop" over nothing."""
        panels = dashboard.build(request.user)
        context = {"dashboard": panels, **({} if panels else {"title": "Your sections"})}
        return super().index(request, {**context, **(extra_context or {})})

    def admin_view(self, view, cacheable=False):
        """Every admin view, a changelist's refusing a selection that names no row and a
        date drill-down past the calendar.

        A changelist's action is applied to the rows its form selected
        (``_selected_action``); a value that is no primary key ("abc", from a
        hand-made request) made Django's ``response_action`` raise a
        ``ValueError``: a 500. Here it is a 400 naming the field. A list's
        date drill-down (``?created_at__year=``) is read by ``datetime``,
        which Django guards against a ``ValueError`` only: a number too large
        for a C long overflowed (a 500). It gets the list's own answer to
        parameters it cannot read, as "abc" does (``?e=1``).

        So does any other lookup in a list's address that fails when the list
        counts its rows: Django lets a list filter on any of its model's own
        fields with any lookup, and checks that the lookup can be *built*, not
        that the database can run it: ``?code__regex=(`` (PostgreSQL refuses
        the pattern), ``?created_at__range=1,2,3`` (three values for two
        placeholders), ``?ip_address=abc`` were 500s. The list's count runs
        in the view, before the page is drawn, so what it raises is caught
        here; only with lookups in the address, so a list's own bug is never
        taken for the staff's mistyped URL, and logged. So does a year
        no calendar has in any other lookup of a list's address (Django lets
        a list filter on any of its model's own fields): ``?created_at__year=0``
        or ``?placed_at__year__gt=99999`` on any list was a 500, since the
        year is turned into dates only when the query is written.
        """
        wrapped = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        if getattr(view, "__name__", "") != "changelist_view" or model_admin is None:
            return wrapped
        model = model_admin.model

        @wraps(wrapped)
        def changelist(request, *args, **kwargs):
            if not all(
                map(partial(_names_a_row, model), request.POST.getlist(ACTION_CHECKBOX_NAME))
            ):
                return HttpResponseBadRequest(f"{ACTION_CHECKBOX_NAME}: not a row of this list.")
            if _past_the_calendar(model_admin.date_hierarchy, request.GET) or _a_year_of_no_date(
                request.GET
            ):
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
            if request.method != "GET" or not _lookups_of(request.GET):
                return wrapped(request, *args, **kwargs)
            try:
                # A savepoint: a lookup the database refuses must not abort the transaction.
                with transaction.atomic(using=router.db_for_read(model)):
                    return wrapped(request, *args, **kwargs)
            except UNREADABLE_LOOKUP as unreadable:
                logger.warning("list lookup refused: %s: %r", request.path, unreadable)
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

        return changelist

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


def _past_the_calendar(field: str | None, query) -> bool:
    """Whether the date drill-down of ``query`` names a year, month or day that no date
    has (more than four digits); smaller wrong ones Django refuses itself."""
    if not field:
        return False
    for part in ("year", "month", "day"):
        value = query.get(f"{field}__{part}", "")
        try:
            number = int(value)
        except ValueError:
            continue
        if abs(number) > 9999:
            return True
    return False


#: What a list's count raises for a lookup it could build but not run (see ``admin_view``).
UNREADABLE_LOOKUP = (DatabaseError, ValueError, IndexError, OverflowError, TypeError)
#: A list's own parameters, which are no lookups.
_LIST_PARAMETERS = {*IGNORED_PARAMS, PAGE_VAR, ERROR_FLAG, "_changelist_filters"}


def _lookups_of(query) -> bool:
    """Whether ``query`` filters the list by anything (a filter's or a hand-made lookup)."""
    return any(name not in _LIST_PARAMETERS for name in query)


#: The lookups that read a number as a year (``created_at__year``, ``__iso_year``), followed
#: by a comparison or not; the value of ``__in`` and ``__range`` is a comma-separated list.
_YEAR_TRANSFORMS = {"year", "iso_year"}


def _a_year_of_no_date(query) -> bool:
    """Whether a lookup of ``query`` compares a date's year with a whole number that no
    date has (before 1 or after 9999): Django turns the year into the first and last
    moment of that year when the query is written, which ``datetime`` cannot. Other
    values are left to Django, which refuses "abc" itself."""
    for name, values in query.lists():
        parts = name.split("__")
        if not _YEAR_TRANSFORMS & set(parts[1:]):
            continue
        for value in values:
            for item in value.split(","):
                try:
                    year = int(item.strip())
                except ValueError:
                    continue
                if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
                    return True
    return False


def _names_a_row(model, value: str) -> bool:
    """Whether ``value`` could be a primary key of ``model`` in its database (a whole number
    its column holds, for an integer key)."""
    primary_key = model._meta.pk
    try:
        key = primary_key.to_python(value)
    except ValidationError:
        return False
    if not isinstance(key, int):
        return key is not None
    operations = connections[router.db_for_read(model)].ops
    low, high = operations.integer_field_range(primary_key.get_internal_type())
    return (low is None or low <= key) and (high is None or key <= high)
