"""Root URLs: the storefront, the admin, and the versioned REST API.

Each context's ``rest.urlpatterns`` is mounted under /api/v1/ and its
``urls`` at the site root; each names its own paths (``catalog/...``,
``cart/...``), so this file does not change when a context grows. The
composed pages and endpoints of the storefront sit beside them.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views import View
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts import rest as accounts_rest
from catalog import rest as catalog_rest
from inventory import rest as inventory_rest
from kernel.query import reads_query
from orders import rest as orders_rest
from pricing import rest as pricing_rest
from recommendations import rest as recommendations_rest
from reviews import rest as reviews_rest
from storefront import rest as storefront_rest


class SwaggerPage(SpectacularSwaggerSplitView):
    """The API's documentation page, which answers OPTIONS as any Django page does: its
    methods in ``Allow``, no body. DRF's answer would describe the view through the
    page's template renderer, which has no template for it (a 500). It reads its query
    (``?script`` serves the page's own script)."""

    get = reads_query(SpectacularSwaggerSplitView.get)

    def options(self, request, *args, **kwargs):
        return View.options(self, request, *args, **kwargs)


class SchemaView(SpectacularAPIView):
    """The schema, which reads its query (``?lang``, ``?version``)."""

    get = reads_query(SpectacularAPIView.get)


api_v1 = [
    *storefront_rest.urlpatterns,
    *catalog_rest.urlpatterns,
    *pricing_rest.urlpatterns,
    *inventory_rest.urlpatterns,
    *orders_rest.urlpatterns,
    *reviews_rest.urlpatterns,
    *recommendations_rest.urlpatterns,
    *accounts_rest.urlpatterns,
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its init script from a URL: no inline script (CSP).
    path(
        "docs/",
        SwaggerPage.as_view(url_name="v1:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    # Redoc writes its styles at run time (no nonce can reach them), renders
    # the schema in a worker started from a blob: URL, and shows its maker's
    # logo from cdn.redoc.ly. This page alone may do that; its scripts are
    # still only our own (docs/security.md).
    path(
        "redoc/",
        csp_replace(
            {
                "style-src": [SELF, UNSAFE_INLINE],
                "worker-src": [SELF, "blob:"],
                "img-src": [SELF, "data:", "https://cdn.redoc.ly"],
            }
        )(SpectacularRedocView.as_view(url_name="v1:schema", template_name="api/redoc.html")),
        name="redoc",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "v1"), namespace="v1")),
]
# The shopper's pages in English at the root and in German under /de/: one
# URL per language, so search engines index both (hreflang links in the
# layout) and a cached page never depends on a language cookie.
urlpatterns += i18n_patterns(
    path("", include("storefront.urls")),
    path("", include("catalog.urls")),
    path("", include("pricing.urls")),
    path("", include("inventory.urls")),
    path("", include("orders.urls")),
    path("", include("reviews.urls")),
    path("", include("recommendations.urls")),
    path("", include("accounts.urls")),
    prefix_default_language=False,
)
# Under /api/ a 400, 404 or 500 is a problem document like every other API error.
handler400 = "kernel.rest.bad_request"
handler404 = "kernel.rest.page_not_found"
handler500 = "kernel.rest.server_error"
