"""Pricing's ``api`` as a client of pricing's own service (``PRICING_SERVICE_URL``).

``pricing.api`` hands its functions to ``client_functions`` once, at
import, when the URL is set, and takes back their remote twins: callers
keep importing ``pricing.api`` and see no difference but latency
(docs/pricing-service.md). The service (``pricing.service``) serves the
same functions, so this module lists only what a client must know on top:
which functions must never be retried.

Every other function is idempotent, so a retry after a lost answer is
harmless: reads; writes that set a state (``set_*``, ``upsert_*``); and the
checkout's calls, each keyed by the order's number: ``redeem_vouchers``
called again for the same ``order_ref`` returns the claims already made
(it waits on the first attempt's row locks if that one is still running),
``release_vouchers`` and ``record_experiment_sales`` do nothing the second
time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings

from kernel.remote import wire
from kernel.remote.breaker import CircuitBreaker
from kernel.remote.client import Client, Endpoint
from pricing import dtos

NOT_IDEMPOTENT = {
    "ensure_voucher_batch": (
        "tops the batch up after counting it: a retry while the lost attempt "
        "still runs would count the same codes missing and add them twice"
    ),
}


def client() -> Client:
    """The client configured by the ``PRICING_SERVICE_*`` settings."""
    return Client(
        endpoint=Endpoint(
            context="pricing",
            url=settings.PRICING_SERVICE_URL.rstrip("/") + "/internal/pricing/v1/",
            secret=settings.PRICING_SERVICE_SECRET,
            connect_timeout=settings.PRICING_SERVICE_CONNECT_TIMEOUT,
            read_timeout=settings.PRICING_SERVICE_TIMEOUT,
            retries=settings.PRICING_SERVICE_RETRIES,
            backoff=settings.PRICING_SERVICE_RETRY_BACKOFF,
        ),
        errors=wire.published_errors(dtos),
        breaker=CircuitBreaker(
            threshold=settings.PRICING_SERVICE_BREAKER_FAILURES,
            cooldown=settings.PRICING_SERVICE_BREAKER_COOLDOWN,
        ),
    )


def client_functions(api_namespace: Mapping[str, object], via: Client) -> dict[str, Callable]:
    """The remote twins of the functions of ``pricing.api`` (given as its globals)."""
    return via.stubs(wire.published_functions(api_namespace), not_idempotent=NOT_IDEMPOTENT)
