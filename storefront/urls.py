from django.urls import path

from storefront import views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("search/", views.search, name="search"),
    path("products/<slug:slug>/", views.product, name="product"),
    path("currency/", views.set_currency, name="currency"),
]
