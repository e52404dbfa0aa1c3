"""URLs of pricing's storefront pages."""

app_name = "pricing"
urlpatterns: list = []
