"""Read queries of inventory, with constant query counts.

"Sellable" is the one number shoppers and other contexts care about: units
on hand, less what orders hold (allocated), less unexpired reservations,
over all warehouses. Expired reservations are left out by the query itself,
so they stop counting the moment they expire, whether or not the purge task
has run yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from inventory.dtos import Availability, StockLevel, StockStatus
from inventory.models import Reservation, Stock


def _status(quantity: int) -> StockStatus:
    if quantity <= 0:
        return StockStatus.OUT
    if quantity <= settings.INVENTORY_LOW_STOCK_THRESHOLD:
        return StockStatus.LOW
    return StockStatus.IN_STOCK


def unexpired_reservations():
    return Reservation.objects.filter(expires_at__gt=timezone.now())


def sellable_by_sku(
    *, skus: Iterable[str] | None = None, ignoring_owner: str | None = None
) -> dict[str, int]:
    """Sellable units per SKU (never below 0), in one query.

    Every asked SKU is in the answer (0 without stock); with ``skus=None``
    every SKU that has a stock row is. Reservations always belong to a
    stock row, so summing per stock SKU misses none. The holds of
    ``ignoring_owner`` do not count: they are that buyer's own.
    """
    skus = None if skus is None else list(skus)
    holds = unexpired_reservations()
    if ignoring_owner:
        holds = holds.exclude(owner=ignoring_owner)
    held = (
        holds.filter(sku=OuterRef("sku"))
        .values("sku")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    stock = Stock.objects.all() if skus is None else Stock.objects.filter(sku__in=skus)
    rows = (
        stock.values("sku")
        .annotate(
            free=Sum(F("on_hand") - F("allocated")),
            held=Coalesce(Subquery(held), Value(0)),
        )
        .values_list("sku", "free", "held")
        .order_by()
    )
    sellable = {sku: max(free - held, 0) for sku, free, held in rows}
    return sellable if skus is None else {sku: sellable.get(sku, 0) for sku in skus}


def availability(*, skus: list[str]) -> dict[str, Availability]:
    """Every asked SKU gets an answer; a SKU with no stock record is out of stock."""
    sellable = sellable_by_sku(skus=skus)
    cap = settings.INVENTORY_SHOWN_QUANTITY_CAP
    return {
        sku: Availability(
            sku=sku, status=_status(sellable[sku]), quantity_shown=min(sellable[sku], cap)
        )
        for sku in skus
    }


def low_stock(*, threshold: int) -> list[tuple[str, int]]:
    """(SKU, sellable) of every stocked SKU at or below ``threshold``, lowest first."""
    found = [(sku, qty) for sku, qty in sellable_by_sku().items() if qty <= threshold]
    return sorted(found, key=lambda item: (item[1], item[0]))


def stock_levels(*, skus: Iterable[str]) -> list[StockLevel]:
    """The per-warehouse quantities of ``skus``, in allocation order, in two queries."""
    rows = list(
        Stock.objects.filter(sku__in=skus)
        .select_related("warehouse")
        .order_by("sku", "warehouse__priority", "warehouse__pk")
    )
    reserved: dict[int, int] = defaultdict(int)
    for stock_id, quantity in (
        unexpired_reservations().filter(stock__in=rows).values_list("stock_id", "quantity")
    ):
        reserved[stock_id] += quantity
    return [
        StockLevel(
            sku=row.sku,
            warehouse=row.warehouse.code,
            on_hand=row.on_hand,
            allocated=row.allocated,
            reserved=reserved[row.pk],
        )
        for row in rows
    ]
