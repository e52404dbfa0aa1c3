"""The public, in-process interface of inventory: keyword-only functions returning DTOs.

After a split this is the one file that becomes an HTTP client.

Who calls what (the layers contract: orders sits above inventory): orders
calls this module synchronously during checkout: ``reserve`` when checkout
starts, ``allocate`` when the order is placed, ``release_allocation`` when it
is cancelled, ``ship`` when it ships, ``restock`` when goods come back.
Inventory never imports orders and subscribes to none of its events, so
calls stay a DAG and a failed allocation fails the order placement itself,
not some event handler later.

Errors are the classes of ``inventory.dtos`` (re-exported here):
``InsufficientStock`` (with the shortages), ``UnknownSku``,
``UnknownWarehouse``, ``InvalidQuantity``. On any of them nothing was
changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings

from inventory import cache, selectors, services
from inventory.dtos import (
    Allocation,
    Availability,
    InsufficientStock,
    InvalidQuantity,
    InventoryError,
    Line,
    LowStockReport,
    Reservation,
    Shortage,
    StockLevel,
    UnknownSku,
    UnknownWarehouse,
)

__all__ = [
    "Allocation",
    "Availability",
    "InsufficientStock",
    "InvalidQuantity",
    "InventoryError",
    "Line",
    "LowStockReport",
    "Reservation",
    "Shortage",
    "StockLevel",
    "UnknownSku",
    "UnknownWarehouse",
    "allocate",
    "availability",
    "low_stock",
    "purchasable",
    "receive",
    "release_allocation",
    "release_reservation",
    "reserve",
    "restock",
    "set_stock",
    "ship",
    "stock_levels",
    "upsert_warehouse",
]


def availability(*, skus: list[str]) -> dict[str, Availability]:
    """Batch read, one query whatever the number of SKUs; every asked SKU answered.

    Counts allocations and unexpired reservations against what is on hand.
    Cached per SKU until its stock changes (cache.py): for pages, never for
    deciding what can be sold (``purchasable``).
    """
    return cache.availability(skus=skus, load=lambda missing: selectors.availability(skus=missing))


def purchasable(*, skus: list[str], reservation_owner: str | None = None) -> dict[str, int]:
    """How many units of each SKU one buyer can have now, exactly; one query.

    Sellable units plus what ``reservation_owner`` (the buyer's checkout,
    "cart:42") already holds. Unlike `availability` it is not capped: a
    cart caps a line at it when the shopper asks for more than there is
    (the same number an allocation refused for lack of stock reports in
    ``InsufficientStock``). Every asked SKU is answered (0: out of stock).
    """
    return selectors.sellable_by_sku(skus=skus, ignoring_owner=reservation_owner)


def stock_levels(*, skus: Iterable[str]) -> list[StockLevel]:
    """Per-warehouse quantities of ``skus`` (back office, not shoppers).

    Called by the demo seeds (which warehouse a SKU is allocated from
    first) and orders' tests; its future caller is orders' staff order
    page, showing where each line's units are held.
    """
    return selectors.stock_levels(skus=skus)


def reserve(*, owner: str, lines: Iterable[Line], ttl: timedelta | None = None) -> Reservation:
    """Hold ``lines`` for ``owner`` (e.g. "cart:42") for ``ttl`` (default from settings).

    Replaces the owner's earlier holds. Raises InsufficientStock.
    """
    return services.reservation_replace(owner=owner, lines=lines, ttl=ttl)


def allocate(
    *, order_ref: str, lines: Iterable[Line], reservation_owner: str | None = None
) -> Allocation:
    """Promise ``lines`` to the order, turning ``reservation_owner``'s holds into allocations.

    May split a line across warehouses (priority order). Idempotent per
    ``order_ref``. Raises InsufficientStock.
    """
    return services.order_allocate(
        order_ref=order_ref, lines=lines, reservation_owner=reservation_owner
    )


def release_reservation(*, owner: str) -> None:
    """Drop every hold of the reservation ``owner`` (checkout abandoned); idempotent.

    No caller outside tests yet: orders' checkout will call it when a shopper
    leaves checkout without placing the order; until then holds lapse when
    their time to live runs out (``reservations_purge_expired``).
    """
    services.reservation_release(owner=owner)


def release_allocation(*, order_ref: str, lines: Iterable[Line] | None = None) -> Allocation:
    """Give the units allocated to ``order_ref`` back to sale (the order was cancelled).

    ``lines`` releases only those units (a partly cancelled order); without
    it everything, and releasing what is already released does nothing.
    Returns what was released, by warehouse. Raises InsufficientStock if
    ``lines`` asks for more than the order holds.
    """
    return services.order_release(order_ref=order_ref, lines=lines)


def ship(*, order_ref: str, lines: Iterable[Line] | None = None) -> Allocation:
    """The order (or ``lines`` of it, a partial shipment) left the warehouses.

    Returns what was shipped, by warehouse. Shipping the whole order twice
    ships nothing the second time; a partial shipment is not idempotent
    (orders records what it shipped). Raises InsufficientStock if ``lines``
    asks for more than the order holds.
    """
    return services.order_ship(order_ref=order_ref, lines=lines)


def restock(*, order_ref: str, lines: Iterable[Line], warehouse_code: str | None = None) -> None:
    """Customer returns of ``order_ref`` back on hand (default warehouse unless named).

    No caller outside tests yet: its future caller is orders' returns flow.
    """
    services.order_restock(order_ref=order_ref, lines=lines, warehouse_code=warehouse_code)


def receive(*, warehouse_code: str, sku: str, quantity: int, reference: str = "") -> None:
    """A goods receipt of a catalog SKU. Raises UnknownSku, UnknownWarehouse, InvalidQuantity.

    Staff book receipts through inventory's own admin and REST endpoints;
    no other context calls this yet (the demo receives its open orders'
    units with it, orders' tests stock their orders). Its future caller is
    a purchasing context receiving supplier goods.
    """
    services.stock_receive(
        warehouse_code=warehouse_code, sku=sku, quantity=quantity, reference=reference
    )


def set_stock(*, sku: str, quantity: int, warehouse_code: str | None = None) -> None:
    """Bring on-hand to ``quantity`` through a ledger adjustment (demo seeding).

    In the default (highest-priority) warehouse unless one is named.
    """
    services.stock_set(sku=sku, quantity=quantity, warehouse_code=warehouse_code)


def upsert_warehouse(*, code: str, name: str, country: str, priority: int) -> None:
    services.warehouse_upsert(code=code, name=name, country=country, priority=priority)


def low_stock(*, limit: int = 10) -> LowStockReport:
    """SKUs at or below settings.INVENTORY_LOW_STOCK_THRESHOLD sellable units, lowest first.

    ``lowest`` holds at most ``limit`` (SKU, sellable) pairs; ``total`` counts them all.
    """
    threshold = settings.INVENTORY_LOW_STOCK_THRESHOLD
    found = selectors.low_stock(threshold=threshold)
    return LowStockReport(threshold=threshold, total=len(found), lowest=tuple(found[:limit]))
