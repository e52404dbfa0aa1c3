"""Write use cases of inventory, each in one transaction, publishing events."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commerce.shared.outbox import publish
from inventory.events import StockChanged
from inventory.models import StockLevel


@transaction.atomic
def stock_level_save(*, stock: StockLevel) -> StockLevel:
    """Save a stock level edited elsewhere (admin form) and announce it."""
    stock.full_clean()
    stock.save()
    publish(StockChanged(sku=stock.sku, quantity=stock.quantity, changed_at=timezone.now()))
    return stock


@transaction.atomic
def stock_set(*, sku: str, quantity: int) -> StockLevel:
    """Set the quantity on hand of ``sku``; announces only a real change."""
    stock = StockLevel.objects.select_for_update().filter(sku=sku).first() or StockLevel(sku=sku)
    if stock.pk and stock.quantity == quantity:
        return stock
    stock.quantity = quantity
    return stock_level_save(stock=stock)
