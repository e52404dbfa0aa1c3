"""Orders's REST endpoints, mounted under /api/v1/ by commerce/urls.py.

Paths are named by this module (e.g. ``orders/...``), so the root URLconf
never changes when a context adds an endpoint.
"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
