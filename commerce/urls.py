"""Root URLs: the storefront, the admin, and the versioned REST API.

Each context's ``rest.urlpatterns`` is mounted under /api/v1/ and names its
own paths (``catalog/...``, ``pricing/...``); the composed endpoints of the
storefront sit beside them.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from commerce.storefront import rest as storefront_rest

api_v1 = [
    *storefront_rest.urlpatterns,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="v1:schema"), name="docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "v1"), namespace="v1")),
    path("", include("commerce.storefront.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
