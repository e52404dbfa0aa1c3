from django.urls import path

from storefront import seo, views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category, name="category"),
    path("search/", views.search, name="search"),
    path("products/<slug:slug>/", views.product, name="product"),
    path("products/<slug:slug>/viewed/", views.recently_viewed, name="recently_viewed"),
    path("currency/", views.set_currency, name="currency"),
    path("sitemap.xml", seo.sitemap_view, {"sitemaps": seo.SITEMAPS}, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("favicon.ico", seo.favicon, name="favicon"),
]
