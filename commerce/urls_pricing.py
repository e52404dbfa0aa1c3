"""Root URLs of pricing's own process (``SERVE=pricing``): its internal endpoints only.

The same codebase as the shop, started as a second gunicorn with another
URL table: no storefront, no admin, no public API, so nothing but the shop's
own processes (holding the shared secret) has a reason to reach it.
``/healthz``, ``/readyz`` and ``/metrics`` are answered by the middleware,
as in the shop (docs/operations.md).
"""

from django.urls import include, path

from pricing import service

urlpatterns = [
    path("internal/pricing/v1/", include(service.urlpatterns)),
]
handler400 = "kernel.remote.server.bad_request"
handler404 = "kernel.remote.server.not_found"
handler500 = "kernel.remote.server.server_error"
