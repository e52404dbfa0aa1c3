"""Write use cases of pricing, each in one transaction, publishing events."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commerce.shared.money import Money
from commerce.shared.outbox import publish
from pricing.events import PriceChanged
from pricing.models import Price


@transaction.atomic
def price_save(*, price: Price) -> Price:
    """Save a price edited elsewhere (admin form) and announce the change."""
    price.full_clean()
    old = (
        Price.objects.select_for_update()
        .filter(pk=price.pk)
        .values_list("amount", flat=True)
        .first()
        if price.pk
        else None
    )
    price.save()
    if old != price.amount:
        publish(
            PriceChanged(
                sku=price.sku,
                currency=price.currency,
                old_amount=old,
                new_amount=price.amount,
                changed_at=timezone.now(),
            )
        )
    return price


@transaction.atomic
def price_set(*, sku: str, price: Money) -> Price:
    """Set the base price of ``sku`` in ``price.currency``."""
    existing = Price.objects.select_for_update().filter(sku=sku, currency=price.currency).first()
    row = existing or Price(sku=sku, currency=price.currency)
    row.amount = price.amount
    return price_save(price=row)
