"""The blocks every write of stock is built from: one lock order, one planner, one announcer.

How overselling is ruled out, whatever the number of concurrent checkouts:

* every use case that reads availability in order to change it first locks
  the stock rows of the SKUs involved, in every warehouse, with
  ``SELECT ... FOR UPDATE ORDER BY pk`` (``lock_stock_of_skus``). Two
  transactions touching the same SKUs therefore queue up in the same order
  (no deadlock whatever order the lines came in) and the second one
  re-reads allocations and reservations only once the first has committed;
* writes that only add or correct stock take the same locks
  (``lock_stock_rows``), so the sellable quantity they announce is never
  computed from a stale view;
* lines for the same SKU are summed before checking (``summed_lines``), so
  a basket cannot pass the check line by line while failing it as a whole;
* the database refuses a negative quantity and more allocated than on hand
  (CHECK constraints), as a last line of defence.

Every change of a quantity writes a ``Movement`` in the same transaction
(``move``), and every change of what can be sold publishes ``StockChanged``
(and ``LowStock`` when it crosses the threshold) through the outbox
(``announcing``). The use cases of the sibling modules lock, plan, move
and announce only through these blocks: that keeps the argument true.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from catalog import api as catalog_api
from inventory import cache, selectors
from inventory.defaults import MAIN_WAREHOUSE
from inventory.dtos import (
    HeldLine,
    InsufficientStock,
    InvalidQuantity,
    Line,
    Shortage,
    UnknownSku,
    UnknownWarehouse,
)
from inventory.events import LowStock, StockChanged
from inventory.models import Allocation, Movement, Reservation, Stock, Warehouse
from kernel.outbox import publish
from kernel.quantities import LARGEST_COUNT, is_valid_quantity


def summed_lines(lines: Iterable[Line]) -> dict[str, int]:
    """Quantities per SKU, lines of the same SKU added up; refuses non-positive ones."""
    wanted: dict[str, int] = defaultdict(int)
    for line in lines:
        if not line.sku:
            raise UnknownSku([""])
        require_positive(line.quantity)
        wanted[line.sku] += line.quantity
    if not wanted:
        raise InvalidQuantity("no lines given")
    return dict(wanted)


def require_positive(quantity: int) -> None:
    if not is_valid_quantity(quantity):
        raise InvalidQuantity(f"quantity must be a positive whole number, got {quantity!r}")


def require_known_skus(skus: Iterable[str]) -> None:
    skus = set(skus)
    unknown = skus - catalog_api.products_by_sku(skus=sorted(skus)).keys()
    if unknown:
        raise UnknownSku(unknown)


def warehouse_by_code(code: str) -> Warehouse:
    warehouse = Warehouse.objects.filter(code=code).first()
    if warehouse is None:
        raise UnknownWarehouse(code)
    return warehouse


def default_warehouse() -> Warehouse:
    """The first warehouse in allocation order; the main one is created if there is none."""
    warehouse = Warehouse.objects.order_by("priority", "pk").first()
    if warehouse is None:
        code = MAIN_WAREHOUSE["code"]
        warehouse, _ = Warehouse.objects.get_or_create(code=code, defaults=MAIN_WAREHOUSE)
    return warehouse


def lock_stock_of_skus(skus: Iterable[str], *, held_by: str | None = None) -> list[Stock]:
    """Lock every stock row of ``skus``, in pk order: the one lock order of this context.

    ``held_by``: also every SKU that reservation owner holds (a subquery, in
    the same statement). ``of=("self",)`` keeps the warehouse rows (joined
    for their priority) unlocked, so checkouts in the same warehouse do not
    queue behind each other unless they share a SKU.
    """
    which = Q(sku__in=sorted(set(skus)))
    if held_by:
        which |= Q(sku__in=Reservation.objects.filter(owner=held_by).values("sku"))
    return list(
        Stock.objects.select_for_update(of=("self",))
        .select_related("warehouse")
        .filter(which)
        .order_by("pk")
    )


@dataclass(frozen=True, slots=True)
class Locked:
    """Stock rows this transaction has locked and the unexpired holds on them, read under the lock.

    Enough to plan takes and to tell what each SKU sold before a change
    without reading again: a SKU's holds all sit on its stock rows, and
    every row of each SKU is locked.
    """

    stocks: list[Stock]
    holds: list[tuple[int, str, int]]  # (stock id, owner, quantity)

    @classmethod
    def of(cls, stocks: list[Stock]) -> Locked:
        """Read the unexpired holds on ``stocks``, which the caller has just locked."""
        holds = selectors.unexpired_reservations().filter(stock__in=stocks)
        return cls(stocks, list(holds.values_list("stock_id", "owner", "quantity")))

    @property
    def skus(self) -> set[str]:
        return {stock.sku for stock in self.stocks}

    def reserved(self, *, ignoring_owner: str | None) -> dict[int, int]:
        """Units held per stock row, but those of ``ignoring_owner``."""
        reserved: dict[int, int] = defaultdict(int)
        for stock_id, owner, quantity in self.holds:
            if owner != ignoring_owner:
                reserved[stock_id] += quantity
        return reserved

    def sellable(self, skus: Iterable[str]) -> dict[str, int]:
        """What ``selectors.sellable_by_sku`` would answer now, from what was read."""
        free: dict[str, int] = defaultdict(int)
        for stock in self.stocks:
            free[stock.sku] += stock.on_hand - stock.allocated
        sku_of = {stock.pk: stock.sku for stock in self.stocks}
        for stock_id, _owner, quantity in self.holds:
            free[sku_of[stock_id]] -= quantity
        return {sku: max(free[sku], 0) for sku in skus}


def lock_stock_rows(pairs: Iterable[tuple[Warehouse, str]]) -> dict[tuple[int, str], Stock]:
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
    locked = lock_stock_of_skus(skus)
    return {key: s for s in locked if (key := (s.warehouse_id, s.sku)) in pairs}


def plan_takes(
    locked: Locked, wanted: dict[str, int], *, ignoring_owner: str | None = None
) -> list[tuple[Stock, int]]:
    """Where to take ``wanted`` from: warehouses in priority order, splitting lines.

    The holds of ``ignoring_owner`` do not count (they are about to be
    replaced or converted). Raises InsufficientStock naming every SKU that
    is short, so a caller can tell the shopper everything at once; it is
    checked before anything is written, so a refused checkout costs two
    queries (the lock, the holds).
    """
    reserved = locked.reserved(ignoring_owner=ignoring_owner)
    by_sku: dict[str, list[Stock]] = defaultdict(list)
    for stock in sorted(locked.stocks, key=lambda s: (s.warehouse.priority, s.warehouse_id)):
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
def announcing(skus: Iterable[str], *, locked: Locked | None = None) -> Iterator[None]:
    """Publish StockChanged for each of ``skus`` whose sellable quantity the block changes.

    Also LowStock when it crosses the threshold downwards. Use it after the
    rows are locked, so "before" and "after" are this transaction's own;
    "before" is taken from ``locked`` when the caller has read it (`Locked`).
    """
    skus = sorted(set(skus))
    before = locked.sellable(skus) if locked else selectors.sellable_by_sku(skus=skus)
    yield
    after = selectors.sellable_by_sku(skus=skus)
    now = timezone.now()
    threshold = settings.INVENTORY_LOW_STOCK_THRESHOLD
    cache.stock_changed(sku for sku in skus if after[sku] != before[sku])
    for sku in skus:
        if after[sku] == before[sku]:
            continue
        publish(StockChanged(sku=sku, quantity=after[sku], changed_at=now))
        if after[sku] <= threshold < before[sku]:
            publish(LowStock(sku=sku, quantity=after[sku], threshold=threshold, occurred_at=now))


def move_stock(
    stock: Stock,
    kind: Movement.Kind,
    *,
    on_hand: int = 0,
    allocated: int = 0,
    reason: str = "",
    reference: str = "",
    actor: str = "",
) -> None:
    """Change the quantities of a locked stock row and write the ledger line saying why.

    Raises `InvalidQuantity` when a quantity would outgrow its column (``LARGEST_COUNT``).
    """
    if max(stock.on_hand + on_hand, stock.allocated + allocated) > LARGEST_COUNT:
        raise InvalidQuantity(f"A stock row holds at most {LARGEST_COUNT} units.")
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


def held_lines(rows: Iterable[Reservation | Allocation]) -> tuple[HeldLine, ...]:
    return tuple(
        HeldLine(sku=row.sku, warehouse=row.stock.warehouse.code, quantity=row.quantity)
        for row in rows
    )


def publish_sellable(skus: list[str]) -> None:
    """Publish the sellable quantity of ``skus``, whose rows this transaction has locked."""
    changed_at = timezone.now()  # under the locks, like every StockChanged
    cache.stock_changed(skus)
    for sku, quantity in selectors.sellable_by_sku(skus=skus).items():
        publish(StockChanged(sku=sku, quantity=quantity, changed_at=changed_at))
