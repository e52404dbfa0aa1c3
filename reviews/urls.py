"""URLs of reviews's storefront pages, included at the site root."""

from django.urls import URLPattern

app_name = "reviews"
urlpatterns: list[URLPattern] = []
