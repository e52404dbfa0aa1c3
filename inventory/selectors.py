"""Read queries of inventory, with constant query counts."""

from __future__ import annotations

from django.conf import settings

from inventory.dtos import Availability, StockStatus
from inventory.models import StockLevel


def _status(quantity: int) -> StockStatus:
    if quantity <= 0:
        return StockStatus.OUT
    if quantity <= settings.INVENTORY_LOW_STOCK_THRESHOLD:
        return StockStatus.LOW
    return StockStatus.IN_STOCK


def availability(*, skus: list[str]) -> dict[str, Availability]:
    """Every asked SKU gets an answer; a SKU with no stock record is out of stock."""
    quantities = dict(StockLevel.objects.filter(sku__in=skus).values_list("sku", "quantity"))
    cap = settings.INVENTORY_SHOWN_QUANTITY_CAP
    return {
        sku: Availability(
            sku=sku,
            status=_status(quantities.get(sku, 0)),
            quantity_shown=min(max(quantities.get(sku, 0), 0), cap),
        )
        for sku in skus
    }
