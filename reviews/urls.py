"""URLs of reviews's storefront pages."""

app_name = "reviews"
urlpatterns: list = []
