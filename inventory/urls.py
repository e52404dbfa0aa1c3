"""URLs of inventory's storefront pages, included at the site root."""

from django.urls import URLPattern

app_name = "inventory"
urlpatterns: list[URLPattern] = []
