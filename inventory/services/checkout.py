"""Checkout's use cases: holding stock for a cart, promising it to an order, settling it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from inventory.dtos import Allocation as AllocationDTO
from inventory.dtos import (
    HeldLine,
    InsufficientStock,
    InvalidQuantity,
    Line,
    Shortage,
)
from inventory.dtos import Reservation as ReservationDTO
from inventory.models import Allocation, Movement, Reservation
from inventory.services.stock import (
    Locked,
    announcing,
    held_lines,
    lock_stock_of_skus,
    move_stock,
    plan_takes,
    publish_sellable,
    summed_lines,
)
from kernel.databases import atomic


@atomic("inventory")
def reservation_replace(
    *, owner: str, lines: Iterable[Line], ttl: timedelta | None = None
) -> ReservationDTO:
    """Hold ``lines`` for ``owner`` until ``ttl`` from now, replacing its earlier holds.

    Replacing makes a repeated checkout start (the shopper went back and
    changed the cart) hold exactly the new cart, never both.
    """
    ttl = timedelta(seconds=settings.INVENTORY_RESERVATION_TTL_SECONDS) if ttl is None else ttl
    if ttl <= timedelta(0):
        raise InvalidQuantity(f"a reservation needs a positive time to live, got {ttl}")
    if not owner:
        raise ValueError("a reservation needs an owner reference")
    wanted = summed_lines(lines)
    locked = Locked.of(lock_stock_of_skus(wanted, held_by=owner))
    plan = plan_takes(locked, wanted, ignoring_owner=owner)
    with announcing(wanted.keys() | locked.skus, locked=locked):
        Reservation.objects.filter(owner=owner).delete()
        expires_at = timezone.now() + ttl
        created = Reservation.objects.bulk_create(
            Reservation(
                owner=owner, stock=stock, sku=stock.sku, quantity=qty, expires_at=expires_at
            )
            for stock, qty in plan
        )
    return ReservationDTO(owner=owner, expires_at=expires_at, lines=held_lines(created))


@atomic("inventory")
def reservation_release(*, owner: str) -> None:
    """Drop every hold of ``owner`` (checkout abandoned). Releasing nothing is fine."""
    holds = Reservation.objects.filter(owner=owner)
    skus = set(holds.values_list("sku", flat=True))
    lock_stock_of_skus(skus)
    with announcing(skus):
        holds.delete()


@atomic("inventory")
def reservations_purge_expired() -> int:
    """Delete expired reservations; returns how many.

    They stopped counting when they expired; this keeps the table small and
    tells subscribers (page caches) about the units that came back.
    """
    now = timezone.now()
    expired = Reservation.objects.filter(expires_at__lte=now)
    skus = set(expired.values_list("sku", flat=True))
    lock_stock_of_skus(skus)
    count, _ = expired.delete()
    publish_sellable(sorted(skus))
    return count


@atomic("inventory")
def order_allocate(
    *, order_ref: str, lines: Iterable[Line], reservation_owner: str | None = None
) -> AllocationDTO:
    """Promise ``lines`` to an order, converting ``reservation_owner``'s holds.

    Idempotent per order: once an order has allocations, calling again
    returns them unchanged (a retried "place order" must not allocate twice).
    """
    if not order_ref:
        raise ValueError("an allocation needs an order reference")
    wanted = summed_lines(lines)
    stocks = lock_stock_of_skus(wanted, held_by=reservation_owner)
    existing = _allocations_of(order_ref)
    if existing:
        return AllocationDTO(order_ref=order_ref, lines=held_lines(existing))
    locked = Locked.of(stocks)
    plan = plan_takes(locked, wanted, ignoring_owner=reservation_owner)
    with announcing(wanted.keys() | locked.skus, locked=locked):
        if reservation_owner:
            Reservation.objects.filter(owner=reservation_owner).delete()
        for stock, quantity in plan:
            move_stock(stock, Movement.Kind.ALLOCATION, allocated=quantity, reference=order_ref)
        created = Allocation.objects.bulk_create(
            Allocation(order_ref=order_ref, stock=stock, sku=stock.sku, quantity=qty)
            for stock, qty in plan
        )
    return AllocationDTO(order_ref=order_ref, lines=held_lines(created))


def _allocations_of(order_ref: str) -> list[Allocation]:
    return list(
        Allocation.objects.filter(order_ref=order_ref)
        .select_related("stock__warehouse")
        .order_by("sku", "stock__warehouse__priority", "pk")
    )


def _settle_allocations(
    order_ref: str, kind: Movement.Kind, lines: Iterable[Line] | None
) -> AllocationDTO:
    """Release or ship ``lines`` of what is allocated to ``order_ref`` (all of it if None).

    Within a SKU, units are taken from the allocations in warehouse priority
    order. Settling everything twice does nothing the second time; settling
    more of a SKU than is allocated raises InsufficientStock, and nothing
    is changed.
    """
    wanted = None if lines is None else summed_lines(lines)
    skus = set(wanted) if wanted is not None else {a.sku for a in _allocations_of(order_ref)}
    locked = {s.pk: s for s in lock_stock_of_skus(skus)}
    allocations = _allocations_of(order_ref)  # read under the lock: settled meanwhile?
    settled = _portions(allocations, wanted)
    with announcing(skus):
        for allocation, quantity in settled:
            move_stock(
                locked[allocation.stock_id],
                kind,
                on_hand=-quantity if kind == Movement.Kind.SHIPMENT else 0,
                allocated=-quantity,
                reference=order_ref,
            )
            if quantity == allocation.quantity:
                allocation.delete()
            else:
                Allocation.objects.filter(pk=allocation.pk).update(
                    quantity=F("quantity") - quantity
                )
    return AllocationDTO(
        order_ref=order_ref,
        lines=tuple(
            HeldLine(sku=a.sku, warehouse=a.stock.warehouse.code, quantity=quantity)
            for a, quantity in settled
        ),
    )


def _portions(
    allocations: list[Allocation], wanted: dict[str, int] | None
) -> list[tuple[Allocation, int]]:
    """How much of each allocation to settle for ``wanted`` (everything if None)."""
    if wanted is None:
        return [(a, a.quantity) for a in allocations]
    portions, shortages = [], []
    for sku, quantity in sorted(wanted.items()):
        of_sku = [a for a in allocations if a.sku == sku]
        held = sum(a.quantity for a in of_sku)
        if held < quantity:
            shortages.append(Shortage(sku=sku, requested=quantity, available=held))
            continue
        left = quantity
        for allocation in of_sku:
            take = min(allocation.quantity, left)
            if take:
                portions.append((allocation, take))
                left -= take
    if shortages:
        raise InsufficientStock(shortages)
    return portions


@atomic("inventory")
def order_release(*, order_ref: str, lines: Iterable[Line] | None = None) -> AllocationDTO:
    """Give an order's allocated units back to sale (cancelled, or ``lines`` of it)."""
    return _settle_allocations(order_ref, Movement.Kind.RELEASE, lines)


@atomic("inventory")
def order_ship(*, order_ref: str, lines: Iterable[Line] | None = None) -> AllocationDTO:
    """The order's units (or ``lines`` of them) left the warehouses: off hand and allocated."""
    return _settle_allocations(order_ref, Movement.Kind.SHIPMENT, lines)
