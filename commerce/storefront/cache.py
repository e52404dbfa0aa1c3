"""Caching composed product offers, invalidated by events, never stale.

An offer is cached under its lookup key (slug or SKU, and currency) along
with the *generation* of its SKU at the time. Events that change what an
offer shows (a price, stock, the product itself) bump the SKU's generation
(`invalidate_sku`), so every cached entry for that SKU, under any slug it
ever had, stops matching at once; no key has to be found and deleted.

With the local-memory cache (embedded default) each process has its own
cache and the bump reaches only the process that handles the event; run a
shared cache (CACHE_URL=redis://...) with more than one process.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache

OFFER_TTL_SECONDS = 300


def _generation_key(sku: str) -> str:
    return f"storefront:offer-generation:{sku}"


def _generation(sku: str) -> str:
    """The SKU's current generation; created on first use."""
    key = _generation_key(sku)
    cache.add(key, uuid.uuid4().hex, timeout=None)
    return cache.get(key)


def invalidate_sku(sku: str) -> None:
    cache.set(_generation_key(sku), uuid.uuid4().hex, timeout=None)


def product_offer(*, key: str, load_product: Callable, compose: Callable):
    """The cached offer under ``key``, or ``compose(load_product())`` cached anew.

    The generation is read after the product (to know its SKU) but before
    price and stock, so a change landing while we compose leaves an entry
    that is already out of date, never one that looks current.
    """
    cache_key = f"storefront:offer:{key}"
    entry = cache.get(cache_key)
    if entry is not None:
        sku, generation, offer = entry
        if _generation(sku) == generation:
            return offer
    product = load_product()
    if product is None:
        return None
    generation = _generation(product.sku)
    offer = compose(product)
    cache.set(cache_key, (product.sku, generation, offer), OFFER_TTL_SECONDS)
    return offer
