"""Reviews' cached read: a page of a product's published reviews as every shopper sees it.

The product page shows one (kept whole by the gateway, storefront/page_cache.py,
which notes the generation of every cached read that composed it). Each
product's pages live under a generation of their own
(``reviews:product:<id>``, kernel.caching), forgotten where reviews commits
a change to what they show: a review written, edited, deleted, reported,
moderated or answered, a vote, a purchase that verifies one. So the next
request after any of these shows it, on the kept page too.

A page read for a signed-in customer (their own votes marked) is not cached.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kernel import caching
from reviews.dtos import ReviewPage, ReviewQuery

TTL_SECONDS = 3600


def _name(product_id: int) -> str:
    return f"reviews:product:{product_id}"


def product_page(product_id: int, query: ReviewQuery, load: Callable[[], ReviewPage]) -> ReviewPage:
    return caching.cached(name=_name(product_id), key=repr(query), load=load, ttl=TTL_SECONDS)


def shown_changed(product_ids: Iterable[int]) -> None:
    """What these products' review pages show changed (forgotten now and after commit)."""
    if names := [_name(product_id) for product_id in sorted(set(product_ids))]:
        caching.forget_on_commit(*names)
