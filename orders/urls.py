"""URLs of orders' storefront pages, included at the site root."""

from django.urls import path

from orders import views

app_name = "orders"
urlpatterns = [
    path("orders/", views.history, name="history"),
    path("orders/lookup/", views.lookup, name="lookup"),
    path("orders/lookup/<str:number>/", views.guest_detail, name="guest_detail"),
    path("orders/<str:number>/", views.detail, name="detail"),
    path("orders/<str:number>/pay/", views.pay, name="pay"),
    path(
        "orders/<str:number>/payments/<int:payment_id>/verify/",
        views.sandbox_challenge,
        name="sandbox_challenge",
    ),
]
