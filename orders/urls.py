"""URLs of orders' storefront pages, included at the site root."""

from django.urls import path

from orders import views
from orders.cart import views as cart_views
from orders.checkout import views as checkout_views

app_name = "orders"
urlpatterns = [
    path("cart/", cart_views.cart, name="cart"),
    path("cart/summary/", cart_views.summary, name="cart_summary"),
    path("cart/add/", cart_views.add, name="cart_add"),
    path("cart/update/", cart_views.update, name="cart_update"),
    path("cart/remove/", cart_views.remove, name="cart_remove"),
    path("cart/vouchers/", cart_views.voucher_apply, name="cart_voucher_apply"),
    path("cart/vouchers/remove/", cart_views.voucher_remove, name="cart_voucher_remove"),
    path("checkout/", checkout_views.details, name="checkout"),
    path("checkout/review/", checkout_views.review, name="checkout_review"),
    path("checkout/place/", checkout_views.place, name="checkout_place"),
    path("orders/<str:number>/confirmation/", views.confirmation, name="confirmation"),
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
