"""Write use cases of inventory, each in one transaction, publishing events.

How overselling is ruled out, whatever the number of concurrent checkouts:

* every use case that reads availability in order to change it first locks
  the stock rows of the SKUs involved, in every warehouse, with
  ``SELECT ... FOR UPDATE ORDER BY pk``. Two transactions touching the same
  SKUs therefore queue up in the same order (no deadlock whatever order the
  lines came in) and the second one re-reads allocations and reservations
  only once the first has committed;
* writes that only add or correct stock take the same locks, so the
  sellable quantity they announce is never computed from a stale view;
* lines for the same SKU are summed before checking, so a basket cannot
  pass the check line by line while failing it as a whole;
* the database refuses a negative quantity and more allocated than on hand
  (CHECK constraints), as a last line of defence.

Every change of a quantity writes a ``Movement`` in the same transaction,
and every change of what can be sold publishes ``StockChanged`` (and
``LowStock`` when it crosses the threshold) through the outbox.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog import api as catalog_api
from inventory import selectors
from inventory.defaults import MAIN_WAREHOUSE
from inventory.dtos import Allocation as AllocationDTO
from inventory.dtos import (
    HeldLine,
    InsufficientStock,
    InvalidQuantity,
    Line,
    Shortage,
    UnknownSku,
    UnknownWarehouse,
)
from inventory.dtos import Reservation as ReservationDTO
from inventory.events import LowStock, StockChanged
from inventory.models import Allocation, Movement, Reservation, Stock, Warehouse
from kernel.outbox import publish
from kernel.quantities import is_valid_quantity

# --- Building blocks ---------------------------------------------------------


def _summed_lines(lines: Iterable[Line]) -> dict[str, int]:
    """Quantities per SKU, lines of the same SKU added up; refuses non-positive ones."""
    wanted: dict[str, int] = defaultdict(int)
    for line in lines:
        if not line.sku:
            raise UnknownSku([""])
        _require_positive(line.quantity)
        wanted[line.sku] += line.quantity
    if not wanted:
        raise InvalidQuantity("no lines given")
    return dict(wanted)


def _require_positive(quantity: int) -> None:
    if not is_valid_quantity(quantity):
        raise InvalidQuantity(f"quantity must be a positive whole number, got {quantity!r}")


def _require_known_skus(skus: Iterable[str]) -> None:
    skus = set(skus)
    unknown = skus - catalog_api.products_by_sku(skus=sorted(skus)).keys()
    if unknown:
        raise UnknownSku(unknown)


def _warehouse_by_code(code: str) -> Warehouse:
    warehouse = Warehouse.objects.filter(code=code).first()
    if warehouse is None:
        raise UnknownWarehouse(code)
    return warehouse


def _default_warehouse() -> Warehouse:
    """The first warehouse in allocation order; the main one is created if there is none."""
    warehouse = Warehouse.objects.order_by("priority", "pk").first()
    if warehouse is None:
        code = MAIN_WAREHOUSE["code"]
        warehouse, _ = Warehouse.objects.get_or_create(code=code, defaults=MAIN_WAREHOUSE)
    return warehouse


def _lock_stock_of_skus(skus: Iterable[str]) -> list[Stock]:
    """Lock every stock row of ``skus``, in pk order: the one lock order of this context.

    ``of=("self",)`` keeps the warehouse rows (joined for their priority)
    unlocked, so checkouts in the same warehouse do not queue behind each
    other unless they share a SKU.
    """
    return list(
        Stock.objects.select_for_update(of=("self",))
        .select_related("warehouse")
        .filter(sku__in=sorted(set(skus)))
        .order_by("pk")
    )


def _lock_stock_rows(pairs: Iterable[tuple[Warehouse, str]]) -> dict[tuple[int, str], Stock]:
    """Make sure the stock rows of (warehouse, SKU) pairs exist, then lock like everyone else.

    The lock is on every row of those SKUs, in all warehouses: the sellable
    quantity announced afterwards spans all of them, so a receipt in one
    warehouse must not interleave with one in another. For that to hold
    even when rows are new, a SKU gets a row in *every* warehouse as soon as
    it gets one anywhere (one sorted ``INSERT ... ON CONFLICT DO NOTHING``):
    two transactions stocking the same SKU for the first time, or in a newly
    added warehouse, collide on the same first row and queue up there.
    """
    pairs = {(w.pk, sku) for w, sku in pairs}
    skus = sorted({sku for _, sku in pairs})
    warehouse_ids = sorted(Warehouse.objects.values_list("pk", flat=True))
    Stock.objects.bulk_create(
        [Stock(warehouse_id=w, sku=sku) for sku in skus for w in warehouse_ids],
        ignore_conflicts=True,
    )
    locked = _lock_stock_of_skus(skus)
    return {key: s for s in locked if (key := (s.warehouse_id, s.sku)) in pairs}


def _reserved_by_stock(stocks: list[Stock], *, ignoring_owner: str | None) -> dict[int, int]:
    reserved: dict[int, int] = defaultdict(int)
    rows = selectors.unexpired_reservations().filter(stock__in=stocks)
    if ignoring_owner:
        rows = rows.exclude(owner=ignoring_owner)
    for stock_id, quantity in rows.values_list("stock_id", "quantity"):
        reserved[stock_id] += quantity
    return reserved


def _plan(
    stocks: list[Stock], wanted: dict[str, int], *, ignoring_owner: str | None = None
) -> list[tuple[Stock, int]]:
    """Where to take ``wanted`` from: warehouses in priority order, splitting lines.

    ``stocks`` must be locked. The holds of ``ignoring_owner`` do not count
    (they are about to be replaced or converted). Raises InsufficientStock
    naming every SKU that is short, so a caller can tell the shopper
    everything at once; it is checked before anything is written, so a
    refused checkout costs three queries.
    """
    reserved = _reserved_by_stock(stocks, ignoring_owner=ignoring_owner)
    by_sku: dict[str, list[Stock]] = defaultdict(list)
    for stock in sorted(stocks, key=lambda s: (s.warehouse.priority, s.warehouse_id)):
        by_sku[stock.sku].append(stock)
    plan, shortages = [], []
    for sku, quantity in sorted(wanted.items()):
        free = [(s, max(s.on_hand - s.allocated - reserved[s.pk], 0)) for s in by_sku[sku]]
        available = sum(units for _, units in free)
        if available < quantity:
            shortages.append(Shortage(sku=sku, requested=quantity, available=available))
            continue
        left = quantity
        for stock, units in free:
            take = min(units, left)
            if take:
                plan.append((stock, take))
                left -= take
    if shortages:
        raise InsufficientStock(shortages)
    return plan


@contextmanager
def _announcing(skus: Iterable[str]) -> Iterator[None]:
    """Publish StockChanged for each of ``skus`` whose sellable quantity the block changes.

    Also LowStock when it crosses the threshold downwards. Use it after the
    rows are locked, so "before" and "after" are this transaction's own.
    """
    skus = sorted(set(skus))
    before = selectors.sellable_by_sku(skus=skus)
    yield
    after = selectors.sellable_by_sku(skus=skus)
    now = timezone.now()
    threshold = settings.INVENTORY_LOW_STOCK_THRESHOLD
    for sku in skus:
        if after[sku] == before[sku]:
            continue
        publish(StockChanged(sku=sku, quantity=after[sku], changed_at=now))
        if after[sku] <= threshold < before[sku]:
            publish(LowStock(sku=sku, quantity=after[sku], threshold=threshold, occurred_at=now))


def _move(
    stock: Stock,
    kind: Movement.Kind,
    *,
    on_hand: int = 0,
    allocated: int = 0,
    reason: str = "",
    reference: str = "",
    actor: str = "",
) -> None:
    """Change the quantities of a locked stock row and write the ledger line saying why."""
    Stock.objects.filter(pk=stock.pk).update(
        on_hand=F("on_hand") + on_hand, allocated=F("allocated") + allocated
    )
    stock.on_hand += on_hand
    stock.allocated += allocated
    Movement.objects.create(
        stock=stock,
        kind=kind,
        on_hand_delta=on_hand,
        allocated_delta=allocated,
        reason=reason,
        reference=reference,
        actor=actor,
    )


def _held(rows: Iterable[Reservation | Allocation]) -> tuple[HeldLine, ...]:
    return tuple(
        HeldLine(sku=row.sku, warehouse=row.stock.warehouse.code, quantity=row.quantity)
        for row in rows
    )


# --- Checkout: reservations and allocations ------------------------------------


@transaction.atomic
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
    wanted = _summed_lines(lines)
    previous = Reservation.objects.filter(owner=owner)
    skus = wanted.keys() | set(previous.values_list("sku", flat=True))
    stocks = _lock_stock_of_skus(skus)
    plan = _plan(stocks, wanted, ignoring_owner=owner)
    with _announcing(skus):
        previous.delete()
        expires_at = timezone.now() + ttl
        created = Reservation.objects.bulk_create(
            Reservation(
                owner=owner, stock=stock, sku=stock.sku, quantity=qty, expires_at=expires_at
            )
            for stock, qty in plan
        )
    return ReservationDTO(owner=owner, expires_at=expires_at, lines=_held(created))


@transaction.atomic
def reservation_release(*, owner: str) -> None:
    """Drop every hold of ``owner`` (checkout abandoned). Releasing nothing is fine."""
    holds = Reservation.objects.filter(owner=owner)
    skus = set(holds.values_list("sku", flat=True))
    _lock_stock_of_skus(skus)
    with _announcing(skus):
        holds.delete()


@transaction.atomic
def reservations_purge_expired() -> int:
    """Delete expired reservations; returns how many.

    They stopped counting when they expired; this keeps the table small and
    tells subscribers (page caches) about the units that came back.
    """
    now = timezone.now()
    expired = Reservation.objects.filter(expires_at__lte=now)
    skus = set(expired.values_list("sku", flat=True))
    _lock_stock_of_skus(skus)
    count, _ = expired.delete()
    changed_at = timezone.now()  # under the locks, like every StockChanged
    for sku, quantity in selectors.sellable_by_sku(skus=sorted(skus)).items():
        publish(StockChanged(sku=sku, quantity=quantity, changed_at=changed_at))
    return count


@transaction.atomic
def order_allocate(
    *, order_ref: str, lines: Iterable[Line], reservation_owner: str | None = None
) -> AllocationDTO:
    """Promise ``lines`` to an order, converting ``reservation_owner``'s holds.

    Idempotent per order: once an order has allocations, calling again
    returns them unchanged (a retried "place order" must not allocate twice).
    """
    if not order_ref:
        raise ValueError("an allocation needs an order reference")
    wanted = _summed_lines(lines)
    holds = (
        Reservation.objects.filter(owner=reservation_owner)
        if reservation_owner
        else Reservation.objects.none()
    )
    skus = wanted.keys() | set(holds.values_list("sku", flat=True))
    stocks = _lock_stock_of_skus(skus)
    existing = _allocations_of(order_ref)
    if existing:
        return AllocationDTO(order_ref=order_ref, lines=_held(existing))
    plan = _plan(stocks, wanted, ignoring_owner=reservation_owner)
    with _announcing(skus):
        holds.delete()
        for stock, quantity in plan:
            _move(stock, Movement.Kind.ALLOCATION, allocated=quantity, reference=order_ref)
        created = Allocation.objects.bulk_create(
            Allocation(order_ref=order_ref, stock=stock, sku=stock.sku, quantity=qty)
            for stock, qty in plan
        )
    return AllocationDTO(order_ref=order_ref, lines=_held(created))


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
    wanted = None if lines is None else _summed_lines(lines)
    skus = set(wanted) if wanted is not None else {a.sku for a in _allocations_of(order_ref)}
    locked = {s.pk: s for s in _lock_stock_of_skus(skus)}
    allocations = _allocations_of(order_ref)  # read under the lock: settled meanwhile?
    settled = _portions(allocations, wanted)
    with _announcing(skus):
        for allocation, quantity in settled:
            _move(
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


@transaction.atomic
def order_release(*, order_ref: str, lines: Iterable[Line] | None = None) -> AllocationDTO:
    """Give an order's allocated units back to sale (cancelled, or ``lines`` of it)."""
    return _settle_allocations(order_ref, Movement.Kind.RELEASE, lines)


@transaction.atomic
def order_ship(*, order_ref: str, lines: Iterable[Line] | None = None) -> AllocationDTO:
    """The order's units (or ``lines`` of them) left the warehouses: off hand and allocated."""
    return _settle_allocations(order_ref, Movement.Kind.SHIPMENT, lines)


# --- Goods in and stock corrections -------------------------------------------


@transaction.atomic
def stock_receive(
    *, warehouse_code: str, sku: str, quantity: int, reference: str = "", actor: str = ""
) -> Stock:
    """Book a goods receipt: ``quantity`` more units of a catalog SKU on hand."""
    _require_positive(quantity)
    warehouse = _warehouse_by_code(warehouse_code)
    _require_known_skus([sku])
    stock = _lock_stock_rows([(warehouse, sku)])[warehouse.pk, sku]
    with _announcing([sku]):
        _move(stock, Movement.Kind.RECEIPT, on_hand=quantity, reference=reference, actor=actor)
    return stock


@transaction.atomic
def order_restock(
    *, order_ref: str, lines: Iterable[Line], warehouse_code: str | None = None, actor: str = ""
) -> list[Stock]:
    """Put returned units of an order back on hand (the default warehouse unless named)."""
    wanted = _summed_lines(lines)
    warehouse = _warehouse_by_code(warehouse_code) if warehouse_code else _default_warehouse()
    stocks = _lock_stock_rows((warehouse, sku) for sku in wanted)
    with _announcing(wanted):
        for sku, quantity in wanted.items():
            stock = stocks[warehouse.pk, sku]
            _move(stock, Movement.Kind.RETURN, on_hand=quantity, reference=order_ref, actor=actor)
    return list(stocks.values())


def _adjust(stock: Stock, delta: int, *, reason: str, reference: str, actor: str) -> None:
    """Adjust a locked row; refuses to take on-hand below what orders already hold."""
    if stock.on_hand + delta < stock.allocated:
        raise InsufficientStock(
            [Shortage(sku=stock.sku, requested=-delta, available=stock.on_hand - stock.allocated)]
        )
    _move(
        stock,
        Movement.Kind.ADJUSTMENT,
        on_hand=delta,
        reason=reason,
        reference=reference,
        actor=actor,
    )


@transaction.atomic
def stock_adjust(
    *,
    warehouse_code: str,
    sku: str,
    quantity_delta: int,
    reason: str,
    reference: str = "",
    actor: str = "",
) -> Stock:
    """Correct the on-hand quantity (count, damage, loss) by ``quantity_delta``, with a reason.

    Raises InsufficientStock if units that orders hold would disappear.
    """
    if (
        isinstance(quantity_delta, bool)
        or not isinstance(quantity_delta, int)
        or not quantity_delta
    ):
        raise InvalidQuantity(f"an adjustment must change the quantity, got {quantity_delta!r}")
    if not reason.strip():
        raise ValueError("an adjustment needs a reason")
    warehouse = _warehouse_by_code(warehouse_code)
    _require_known_skus([sku])
    stock = _lock_stock_rows([(warehouse, sku)])[warehouse.pk, sku]
    with _announcing([sku]):
        _adjust(stock, quantity_delta, reason=reason, reference=reference, actor=actor)
    return stock


def _set_on_hand(stock: Stock, quantity: int, *, reason: str, reference: str, actor: str) -> None:
    if stock.on_hand != quantity:
        _adjust(stock, quantity - stock.on_hand, reason=reason, reference=reference, actor=actor)


@transaction.atomic
def stock_set(*, sku: str, quantity: int, warehouse_code: str | None = None) -> Stock:
    """Bring on-hand of ``sku`` to ``quantity`` by an adjustment (demo seeding, tests).

    In the default warehouse unless one is named; a no-op, publishing
    nothing, when the quantity is already right. Unlike the staff paths it
    does not ask the catalog about the SKU: its callers just created it.
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
        raise InvalidQuantity(f"on-hand must be a whole number >= 0, got {quantity!r}")
    warehouse = _warehouse_by_code(warehouse_code) if warehouse_code else _default_warehouse()
    stock = _lock_stock_rows([(warehouse, sku)])[warehouse.pk, sku]
    with _announcing([sku]):
        _set_on_hand(stock, quantity, reason="set to counted quantity", reference="", actor="")
    return stock


@transaction.atomic
def stock_import(*, counts: list[tuple[str, str, int]], reference: str, actor: str) -> int:
    """Set on-hand to counted quantities, (warehouse code, SKU, quantity) each; all or nothing.

    Rows are locked in one pk-ordered batch; returns how many rows changed.
    """
    warehouses = {w.code: w for w in Warehouse.objects.filter(code__in={c[0] for c in counts})}
    for code, _, _ in counts:
        if code not in warehouses:
            raise UnknownWarehouse(code)
    _require_known_skus({sku for _, sku, _ in counts})
    stocks = _lock_stock_rows((warehouses[code], sku) for code, sku, _ in counts)
    changed = 0
    with _announcing({sku for _, sku, _ in counts}):
        for code, sku, quantity in counts:
            stock = stocks[warehouses[code].pk, sku]
            changed += stock.on_hand != quantity
            _set_on_hand(
                stock, quantity, reason="stock count import", reference=reference, actor=actor
            )
    return changed


@transaction.atomic
def warehouse_save(*, warehouse: Warehouse) -> Warehouse:
    """Save a warehouse edited in the admin (validated; its priority orders allocation).

    A new warehouse gets an empty stock row for every SKU stocked anywhere,
    keeping "a SKU has a row in every warehouse" true (see _lock_stock_rows).
    """
    is_new = warehouse.pk is None
    warehouse.country = warehouse.country.upper()
    warehouse.full_clean()
    warehouse.save()
    if is_new:
        skus = Stock.objects.order_by("sku").values_list("sku", flat=True).distinct()
        Stock.objects.bulk_create(
            [Stock(warehouse=warehouse, sku=sku) for sku in skus], ignore_conflicts=True
        )
    return warehouse


@transaction.atomic
def warehouse_upsert(*, code: str, name: str, country: str, priority: int) -> Warehouse:
    """Create or update the warehouse ``code`` (demo seeding, setup scripts)."""
    warehouse = Warehouse.objects.filter(code=code).first() or Warehouse(code=code)
    warehouse.name, warehouse.country, warehouse.priority = name, country, priority
    return warehouse_save(warehouse=warehouse)
