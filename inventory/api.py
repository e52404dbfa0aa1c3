"""The public, in-process interface of inventory: keyword-only functions returning DTOs.

After a split this is the one file that becomes an HTTP client.

Who calls what (the layers contract: orders sits above inventory): orders
calls this module synchronously during checkout: ``reserve`` when checkout
starts, ``allocate`` when the order is placed, ``release`` when it is
cancelled, ``ship`` when it ships, ``restock`` when goods come back.
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

from inventory import selectors, services
from inventory.dtos import (
    Allocation,
    Availability,
    InsufficientStock,
    InvalidQuantity,
    InventoryError,
    Line,
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
    "Reservation",
    "Shortage",
    "StockLevel",
    "UnknownSku",
    "UnknownWarehouse",
    "allocate",
    "availability",
    "receive",
    "release",
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
    """
    return selectors.availability(skus=skus)


def stock_levels(*, skus: Iterable[str]) -> list[StockLevel]:
    """Per-warehouse quantities of ``skus`` (back office, not shoppers)."""
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


def release(
    *, owner: str | None = None, order_ref: str | None = None, lines: Iterable[Line] | None = None
) -> None:
    """Release the holds of a reservation ``owner``, or the allocation of ``order_ref``.

    Exactly one of them. For an order, ``lines`` releases only those units
    (a partly cancelled order); without it everything, and releasing what is
    already released does nothing. Raises InsufficientStock if ``lines``
    asks for more than the order holds.
    """
    if (owner is None) == (order_ref is None):
        raise TypeError("release() takes exactly one of owner= and order_ref=")
    if owner is not None:
        if lines is not None:
            raise TypeError("a reservation is released as a whole")
        services.reservation_release(owner=owner)
    else:
        services.order_release(order_ref=order_ref, lines=lines)


def ship(*, order_ref: str, lines: Iterable[Line] | None = None) -> Allocation:
    """The order (or ``lines`` of it, a partial shipment) left the warehouses.

    Returns what was shipped, by warehouse. Shipping the whole order twice
    ships nothing the second time; a partial shipment is not idempotent
    (orders records what it shipped). Raises InsufficientStock if ``lines``
    asks for more than the order holds.
    """
    return services.order_ship(order_ref=order_ref, lines=lines)


def restock(*, order_ref: str, lines: Iterable[Line], warehouse_code: str | None = None) -> None:
    """Customer returns of ``order_ref`` back on hand (default warehouse unless named)."""
    services.order_restock(order_ref=order_ref, lines=lines, warehouse_code=warehouse_code)


def receive(*, warehouse_code: str, sku: str, quantity: int, reference: str = "") -> None:
    """A goods receipt of a catalog SKU. Raises UnknownSku, UnknownWarehouse, InvalidQuantity."""
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
