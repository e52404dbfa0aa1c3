from django.urls import path

from commerce.storefront import views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/<slug:slug>/", views.product, name="product"),
]
