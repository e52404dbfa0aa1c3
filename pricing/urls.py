"""URLs of pricing's storefront pages, included at the site root."""

from django.urls import URLPattern

app_name = "pricing"
urlpatterns: list[URLPattern] = []
