"""URLs of orders's storefront pages, included at the site root."""

from django.urls import URLPattern

app_name = "orders"
urlpatterns: list[URLPattern] = []
