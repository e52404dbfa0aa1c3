"""URLs of recommendations's storefront pages."""

app_name = "recommendations"
urlpatterns: list = []
