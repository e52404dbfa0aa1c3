"""URLs of inventory's storefront pages."""

app_name = "inventory"
urlpatterns: list = []
