"""Checking stock rows against the ledger they are supposed to be the sum of."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from inventory.models import Allocation, Movement, Stock
from kernel.databases import atomic


@dataclass(frozen=True, slots=True)
class Discrepancy:
    stock_id: int
    sku: str
    warehouse: str
    on_hand: int
    allocated: int
    ledger_on_hand: int
    ledger_allocated: int
    open_allocations: int

    def __str__(self) -> str:
        return (
            f"{self.sku} @ {self.warehouse}: on hand {self.on_hand} (ledger "
            f"{self.ledger_on_hand}), allocated {self.allocated} (ledger "
            f"{self.ledger_allocated}, open allocations {self.open_allocations})"
        )


def _sum_of(model, field: str):
    total = model.objects.filter(stock=OuterRef("pk")).values("stock").annotate(t=Sum(field))
    return Coalesce(Subquery(total.values("t")), Value(0))


def discrepancies() -> list[Discrepancy]:
    """Stock rows whose quantities differ from their movements or open allocations."""
    rows = (
        Stock.objects.select_related("warehouse")
        .annotate(
            ledger_on_hand=_sum_of(Movement, "on_hand_delta"),
            ledger_allocated=_sum_of(Movement, "allocated_delta"),
            open_allocations=_sum_of(Allocation, "quantity"),
        )
        .order_by("sku", "warehouse__code")
    )
    return [
        Discrepancy(
            stock_id=s.pk,
            sku=s.sku,
            warehouse=s.warehouse.code,
            on_hand=s.on_hand,
            allocated=s.allocated,
            ledger_on_hand=s.ledger_on_hand,
            ledger_allocated=s.ledger_allocated,
            open_allocations=s.open_allocations,
        )
        for s in rows
        if (s.on_hand, s.allocated) != (s.ledger_on_hand, s.ledger_allocated)
        or s.allocated != s.open_allocations
    ]


@atomic("inventory")
def recompute() -> list[Discrepancy]:
    """Set every diverging stock row to what its ledger says; returns what was fixed.

    The ledger is the record of what happened, so it wins. Rows are locked
    in pk order like every other write of this context. Open allocations
    that disagree with the ledger are reported but not touched: that needs
    a person to look at the orders concerned.
    """
    ids = sorted(d.stock_id for d in discrepancies())
    list(Stock.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
    found = discrepancies()  # again, under the locks
    for d in found:
        Stock.objects.filter(pk=d.stock_id).update(
            on_hand=d.ledger_on_hand, allocated=d.ledger_allocated
        )
    return found
