"""The catalog's cached reads: product documents, the category tree and listings.

Shoppers' reads go through here (``api``); staff and write paths read the
database. Each kind of entry lives under a generation (kernel.caching),
forgotten when the catalog commits the change that makes it stale:

- a product's document (``ProductDetail``) under ``catalog:product:<code>``,
  forgotten where the product's events are published (announce.py) and
  when its images change; and under the category tree's generation, since
  it carries breadcrumbs;
- the category tree under ``catalog:structure``, forgotten when a
  category or a product type is written (both show in product documents);
- listings (a page of results with its facets, per query) under
  ``catalog:listings``, forgotten by anything a listing shows or filters
  on: product events, the price and stock projection, ratings, categories.
  Products whose publish date passes go live without an event, so a
  listing is kept at most ``LISTING_TTL_SECONDS``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from catalog.dtos import ListingQuery, ListingResult, ProductDetail
from kernel import caching

PRODUCT_TTL_SECONDS = 300
STRUCTURE_TTL_SECONDS = 3600
LISTING_TTL_SECONDS = 60

STRUCTURE = "catalog:structure"
LISTINGS = "catalog:listings"


#: The product detail's label in ``commerce_cache_lookup_total``: its names' kind.
PRODUCT_KIND = "catalog:product"


def _product(sku: str) -> str:
    return f"{PRODUCT_KIND}:{sku}"


def product_detail(*, key: str, load: Callable[[], ProductDetail | None]) -> ProductDetail | None:
    """The product looked up by ``key`` (a slug or SKU lookup), or ``load()`` cached anew.

    An entry is stored with the generations of its product's code and of
    the catalog's structure, so a change of the product under any of its slugs or
    SKUs, or of categories and types, stops it matching at once. A stale entry
    tells which product it holds, so the generations are read *before* the
    product is loaded again; only a key's very first load must read them
    after loading (it does not know the product's code yet), and a change
    landing in that gap is shown for at most ``PRODUCT_TTL_SECONDS``. A
    product that is not there is not cached.
    """
    entry_key = f"catalog:product-by:{hashlib.sha256(key.encode()).hexdigest()}"
    mark = caching.failure_mark()
    entry = cache.get(entry_key)
    current = None
    if entry is not None:
        sku, tokens, product = entry
        current = caching.generations([_product(sku), STRUCTURE])
        if current == tokens:
            caching.count_lookups(PRODUCT_KIND, hits=1)
            return product
    caching.count_lookups(PRODUCT_KIND, misses=1, since=mark)
    product = load()
    if product is None:
        return None
    if entry is None or entry[0] != product.sku:
        current = caching.generations([_product(product.sku), STRUCTURE])
    cache.set(entry_key, (product.sku, current, product), PRODUCT_TTL_SECONDS)
    return product


def tree(load: Callable):
    return caching.cached(name=STRUCTURE, key="tree", load=load, ttl=STRUCTURE_TTL_SECONDS)


def listing(
    *, query: ListingQuery, with_facets: bool, load: Callable[[], ListingResult]
) -> ListingResult:
    return caching.cached(
        name=LISTINGS, key=f"{with_facets}:{query!r}", load=load, ttl=LISTING_TTL_SECONDS
    )


def products_changed(skus: list[str]) -> None:
    """After commit: the products ``skus`` (and so listings) changed; one write to the cache."""
    caching.forget_on_commit(*(_product(sku) for sku in skus), LISTINGS)


def listings_changed() -> None:
    """After commit: something listings filter, sort or count by changed."""
    caching.forget_on_commit(LISTINGS)


def structure_changed() -> None:
    """After commit: a category or product type changed (the tree, products' breadcrumbs
    and attribute names, listings)."""
    caching.forget_on_commit(STRUCTURE, LISTINGS)
