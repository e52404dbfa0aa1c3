"""URLs of orders's storefront pages."""

app_name = "orders"
urlpatterns: list = []
