"""URLs of catalog's storefront pages, included at the site root."""

from django.urls import URLPattern

app_name = "catalog"
urlpatterns: list[URLPattern] = []
