"""Caching product pages' product information, invalidated by catalog events.

Only what is the same for every shopper is cached: the catalog's
``ProductDetail`` (title, description, variants, images, categories),
which costs the most queries to read. Prices and availability are read
fresh on every request, each as one batch: prices depend on who is looking
(their customer group's price list, the pricing experiment variant of
their customer or visitor id), and keying cached offers by a
"price segment" would copy pricing's rules about groups and experiment
assignment into the storefront, where a rule missed means one shopper's
price served to another. Reading them fresh costs one to three indexed
queries and cannot go wrong that way.

The detail is cached under its lookup key (slug or SKU) along with the
*generation* of the product's code at the time. Catalog events about the
product bump that generation (``invalidate_sku``), so every cached entry
of the product, under any slug or SKU it was looked up by, stops matching
at once; no key has to be found and deleted.

The product page's rating summary (reviews' average, count and
histogram) is cached the same way, under the same generation
(``for_product``); reviews' ``rating_changed`` events bump it.

With the local-memory cache (embedded default) each process has its own
cache and the bump reaches only the process that handles the event; run a
shared cache (CACHE_URL=redis://...) with more than one process.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from catalog.dtos import ProductDetail
from kernel import metrics

T = TypeVar("T")

DETAIL_TTL_SECONDS = 300


def _generation_key(sku: str) -> str:
    return f"storefront:product-generation:{sku}"


def _generation(sku: str) -> str:
    """The product's current generation, created on first use."""
    key = _generation_key(sku)
    cache.add(key, uuid.uuid4().hex, timeout=None)
    return cache.get(key)


def invalidate_sku(sku: str) -> None:
    cache.set(_generation_key(sku), uuid.uuid4().hex, timeout=None)


def product_detail(*, key: str, load: Callable[[], ProductDetail | None]) -> ProductDetail | None:
    """The cached product under ``key``, or ``load()`` cached anew.

    A stale entry tells which product it holds, so its current generation
    is read *before* the product is loaded again: a change landing while we
    load leaves an entry that is already out of date, never one that looks
    current. Only a key's very first load must read the generation after
    loading (it does not know the product's code yet); a change landing in
    that gap is shown for at most ``DETAIL_TTL_SECONDS``. A product that is
    not there is not cached.
    """
    # The key is the caller's slug or SKU: hashed, so any text makes a valid cache key.
    cache_key = f"storefront:product:{hashlib.sha256(key.encode()).hexdigest()}"
    entry = cache.get(cache_key)
    known_generation = None
    if entry is not None:
        sku, generation, product = entry
        known_generation = _generation(sku)
        if known_generation == generation:
            metrics.count("cache_lookup", cache="storefront.product_detail", result="hit")
            return product
    metrics.count("cache_lookup", cache="storefront.product_detail", result="miss")
    product = load()
    if product is None:
        return None
    if entry is None or entry[0] != product.sku:
        known_generation = _generation(product.sku)
    cache.set(cache_key, (product.sku, known_generation, product), DETAIL_TTL_SECONDS)
    return product


def for_product(*, sku: str, key: str, load: Callable[[], T | None]) -> T | None:
    """``load()`` cached under ``key`` until the product ``sku`` changes.

    The generation is read before loading, so a change landing while we
    load leaves an entry that is already out of date. None (nothing
    there, or the loading context did not answer) is not cached.
    """
    generation = _generation(sku)
    cache_key = f"storefront:for-product:{key}"
    entry = cache.get(cache_key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = load()
    if value is not None:
        cache.set(cache_key, (generation, value), DETAIL_TTL_SECONDS)
    return value
