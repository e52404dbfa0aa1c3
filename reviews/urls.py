"""URLs of reviews's storefront pages, included at the site root."""

from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("reviews/write/<int:product_id>/", views.write, name="write"),
    path("reviews/<int:review_id>/delete/", views.delete, name="delete"),
    path("reviews/<int:review_id>/vote/", views.vote, name="vote"),
    path("reviews/<int:review_id>/report/", views.report, name="report"),
    path("account/reviews/", views.mine, name="mine"),
]
