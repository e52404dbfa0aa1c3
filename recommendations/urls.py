"""URLs of recommendations's storefront pages, included at the site root."""

from django.urls import URLPattern

app_name = "recommendations"
urlpatterns: list[URLPattern] = []
