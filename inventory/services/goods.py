"""Goods in and stock corrections: receipts, returns, adjustments, counts, re-announcing."""

from __future__ import annotations

from collections.abc import Iterable

from inventory.dtos import (
    InsufficientStock,
    InvalidQuantity,
    Line,
    Shortage,
    UnknownWarehouse,
)
from inventory.models import Movement, Stock, Warehouse
from inventory.services.stock import (
    announcing,
    default_warehouse,
    lock_stock_of_skus,
    lock_stock_rows,
    move_stock,
    publish_sellable,
    require_known_skus,
    require_positive,
    summed_lines,
    warehouse_by_code,
)
from inventory.stock_import import CountRow
from kernel.databases import atomic
from kernel.outbox import announce_in_batches


@atomic("inventory")
def stock_receive(
    *, warehouse_code: str, sku: str, quantity: int, reference: str = "", actor: str = ""
) -> Stock:
    """Book a goods receipt: ``quantity`` more units of a catalog SKU on hand."""
    require_positive(quantity)
    warehouse = warehouse_by_code(warehouse_code)
    require_known_skus([sku])
    stock = lock_stock_rows([(warehouse, sku)])[warehouse.pk, sku]
    with announcing([sku]):
        move_stock(stock, Movement.Kind.RECEIPT, on_hand=quantity, reference=reference, actor=actor)
    return stock


@atomic("inventory")
def order_restock(
    *, order_ref: str, lines: Iterable[Line], warehouse_code: str | None = None, actor: str = ""
) -> list[Stock]:
    """Put returned units of an order back on hand (the default warehouse unless named)."""
    wanted = summed_lines(lines)
    warehouse = warehouse_by_code(warehouse_code) if warehouse_code else default_warehouse()
    stocks = lock_stock_rows((warehouse, sku) for sku in wanted)
    with announcing(wanted):
        for sku, quantity in wanted.items():
            stock = stocks[warehouse.pk, sku]
            move_stock(
                stock, Movement.Kind.RETURN, on_hand=quantity, reference=order_ref, actor=actor
            )
    return list(stocks.values())


def _adjust(stock: Stock, delta: int, *, reason: str, reference: str, actor: str) -> None:
    """Adjust a locked row; refuses to take on-hand below what orders already hold."""
    if stock.on_hand + delta < stock.allocated:
        raise InsufficientStock(
            [Shortage(sku=stock.sku, requested=-delta, available=stock.on_hand - stock.allocated)]
        )
    move_stock(
        stock,
        Movement.Kind.ADJUSTMENT,
        on_hand=delta,
        reason=reason,
        reference=reference,
        actor=actor,
    )


@atomic("inventory")
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
    warehouse = warehouse_by_code(warehouse_code)
    require_known_skus([sku])
    stock = lock_stock_rows([(warehouse, sku)])[warehouse.pk, sku]
    with announcing([sku]):
        _adjust(stock, quantity_delta, reason=reason, reference=reference, actor=actor)
    return stock


def _set_on_hand(stock: Stock, quantity: int, *, reason: str, reference: str, actor: str) -> None:
    if stock.on_hand != quantity:
        _adjust(stock, quantity - stock.on_hand, reason=reason, reference=reference, actor=actor)


@atomic("inventory")
def stock_set(*, sku: str, quantity: int, warehouse_code: str | None = None) -> Stock:
    """Bring on-hand of ``sku`` to ``quantity`` by an adjustment (demo seeding, tests).

    In the default warehouse unless one is named; a no-op, publishing
    nothing, when the quantity is already right. Unlike the staff paths it
    does not ask the catalog about the SKU: its callers just created it.
    """
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
        raise InvalidQuantity(f"on-hand must be a whole number >= 0, got {quantity!r}")
    warehouse = warehouse_by_code(warehouse_code) if warehouse_code else default_warehouse()
    stock = lock_stock_rows([(warehouse, sku)])[warehouse.pk, sku]
    with announcing([sku]):
        _set_on_hand(stock, quantity, reason="set to counted quantity", reference="", actor="")
    return stock


@atomic("inventory")
def stock_import(*, counts: list[CountRow], reference: str, actor: str) -> int:
    """Set on-hand to the counted quantities of an import without errors; all or nothing.

    Rows are locked in one pk-ordered batch; returns how many rows changed.
    """
    codes = {count.warehouse for count in counts}
    warehouses = {w.code: w for w in Warehouse.objects.filter(code__in=codes)}
    for count in counts:
        if count.warehouse not in warehouses:
            raise UnknownWarehouse(count.warehouse)
    skus = {count.sku for count in counts}
    require_known_skus(skus)
    stocks = lock_stock_rows((warehouses[count.warehouse], count.sku) for count in counts)
    changed = 0
    with announcing(skus):
        for count in counts:
            stock = stocks[warehouses[count.warehouse].pk, count.sku]
            changed += stock.on_hand != count.quantity
            _set_on_hand(
                stock, count.quantity, reason="stock count import", reference=reference, actor=actor
            )
    return changed


def stock_announce() -> int:
    """Publish ``StockChanged`` for every stocked SKU, as it is now; returns how many.

    For subscribers rebuilding their copy (``manage.py announce_stock``).
    One transaction per batch of SKUs, each locking its rows like every
    other use case, so the quantity announced is this moment's and a
    change committed afterwards is stamped later.
    """
    skus = list(Stock.objects.order_by("sku").values_list("sku", flat=True).distinct())
    return announce_in_batches(skus, _announce_current)


@atomic("inventory")
def _announce_current(skus: list[str]) -> None:
    lock_stock_of_skus(skus)
    publish_sellable(skus)
