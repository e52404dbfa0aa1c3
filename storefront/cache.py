"""The gateway's cache of what it composes per product: reviews' rating summary.

The catalog caches its own product documents, pricing its price book,
promotions and experiments, inventory its availability, each behind its
``api`` and forgotten when it commits the change (kernel.caching). What
the storefront keeps itself is the product page's rating summary (reviews'
average, count and histogram), which reviews does not cache: it is stored
under a generation (kernel.caching) of the product's code, which catalog events about the
product and reviews' ``rating_changed`` bump (``invalidate_sku``, from
handlers.py), so every cached entry of the product stops matching at once.

With the local-memory cache (embedded default) each process has its own
cache and the bump reaches only the process that handles the event; run a
shared cache (CACHE_URL=redis://...) with more than one process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kernel import caching

T = TypeVar("T")

DETAIL_TTL_SECONDS = 300


def _name(sku: str) -> str:
    return f"storefront:product:{sku}"


def invalidate_sku(sku: str) -> None:
    caching.forget(_name(sku))


def for_product(*, sku: str, key: str, load: Callable[[], T | None]) -> T | None:
    """``load()`` cached under ``key`` until the product ``sku`` changes.

    None (nothing there, or the loading context did not answer) is not cached.
    """
    return caching.cached(name=_name(sku), key=key, load=load, ttl=DETAIL_TTL_SECONDS)
