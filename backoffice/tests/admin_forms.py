"""Every field of every admin's form and inline form: what the input tests walk."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory


def admin_form_fields(kept: Callable[[forms.Field], bool]) -> Iterator[tuple[str, forms.Field]]:
    """The fields ``kept`` keeps, each named ``Model.field``, as a superuser's forms hold them."""
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root", "root@example.com", "pw")
    for model_admin in admin.site._registry.values():
        forms_of_model = [model_admin.get_form(request)] + [
            inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)
        ]
        for form in forms_of_model:
            for name, field in form.base_fields.items():
                if kept(field):
                    yield f"{form._meta.model.__name__}.{name}", field
