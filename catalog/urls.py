"""URLs of catalog's storefront pages."""

app_name = "catalog"
urlpatterns: list = []
