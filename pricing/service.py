"""Pricing's internal endpoints: ``pricing.api`` served to the shop's other processes.

Mounted at ``/internal/pricing/v1/`` by ``commerce.urls_pricing``, the URLs
of the process started with ``SERVE=pricing`` (docs/pricing-service.md).
Each function of ``pricing.api`` is served as it is, in this process, so
whatever ``pricing.api`` does in process (caching included) the service
does too; the clients' stubs are built from the same module
(``pricing.remote``).
"""

from __future__ import annotations

from django.conf import settings

from kernel.remote import server, wire
from pricing import api, dtos

urlpatterns = server.urlpatterns(
    functions=wire.published_functions(vars(api)),
    errors=wire.published_errors(dtos),
    secret=lambda: settings.PRICING_SERVICE_SECRET,
    name="pricing-service",
)
