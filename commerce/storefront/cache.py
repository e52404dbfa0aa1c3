"""Caching composed product offers, invalidated by events, never stale.

An offer is cached under its lookup key (slug or SKU, and currency) along
with the *generation* of each of its SKUs (the product code and every
variant SKU) at the time. Events that change what an offer shows (a
variant's price or stock, the product itself) bump that SKU's generation
(`invalidate_sku`), so every cached entry showing that SKU, under any slug
or SKU it was looked up by, stops matching at once; no key has to be found
and deleted.

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


def _generations(skus: tuple[str, ...]) -> tuple[str | None, ...]:
    """The SKUs' current generations (None for a SKU never seen)."""
    found = cache.get_many([_generation_key(sku) for sku in skus])
    return tuple(found.get(_generation_key(sku)) for sku in skus)


def _current_generations(skus: tuple[str, ...]) -> tuple[str, ...]:
    """The SKUs' current generations, created on first use."""
    for sku in skus:
        cache.add(_generation_key(sku), uuid.uuid4().hex, timeout=None)
    return _generations(skus)


def invalidate_sku(sku: str) -> None:
    cache.set(_generation_key(sku), uuid.uuid4().hex, timeout=None)


def product_offer(*, key: str, load_product: Callable, compose: Callable):
    """The cached offer under ``key``, or ``compose(load_product())`` cached anew.

    The generations are read after the product (to know its SKUs) but before
    price and stock, so a change landing while we compose leaves an entry
    that is already out of date, never one that looks current.
    """
    cache_key = f"storefront:offer:{key}"
    entry = cache.get(cache_key)
    if entry is not None:
        skus, generations, offer = entry
        if _generations(skus) == generations:
            return offer
    product = load_product()
    if product is None:
        return None
    skus = (product.sku, *product.variant_skus)
    generations = _current_generations(skus)
    offer = compose(product)
    cache.set(cache_key, (skus, generations, offer), OFFER_TTL_SECONDS)
    return offer
