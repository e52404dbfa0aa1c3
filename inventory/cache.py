"""Inventory's cached read: the availability shoppers see, per SKU.

Each SKU's availability lives under its own generation (kernel.caching),
forgotten where inventory publishes ``stock_changed`` for it, which it does
on every change of the sellable quantity (receipts, adjustments,
reservations, allocations, releases, returns): a checkout of one SKU
leaves every other SKU's entry alone.

Reservations expire without an event, and an expiry only makes more
units sellable, so an entry is kept at most ``TTL_SECONDS``: a page may
show a SKU as scarcer than it is for that long, never as more available.
Reserving and allocating never read this cache (``purchasable`` and the
services count under row locks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from inventory.dtos import Availability
from kernel import caching

TTL_SECONDS = 30


def _name(sku: str) -> str:
    return f"inventory:sku:{sku}"


def availability(
    *, skus: list[str], load: Callable[[list[str]], dict[str, Availability]]
) -> dict[str, Availability]:
    return caching.cached_many(keys=skus, name_of=_name, load=load, ttl=TTL_SECONDS)


def stock_changed(skus: Iterable[str]) -> None:
    """After commit: the sellable quantity of ``skus`` changed."""
    caching.forget_on_commit(*(_name(sku) for sku in skus))
