"""Base prices, and the price history every price write leaves behind."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from kernel.databases import atomic
from kernel.money import Money
from kernel.outbox import publish
from pricing import cache
from pricing.events import PriceChanged
from pricing.models import Price, PriceChange, PriceList

#: Who changed a price when no person did (imports, the demo, other contexts).
SYSTEM = "system"


def price_change_row(
    *,
    sku: str,
    currency: str,
    old_amount: Decimal | None,
    new_amount: Decimal | None,
    changed_by: str,
    changed_by_id: int | None,
    changed_at: datetime,
    field: str = "amount",
    price_list: PriceList | None = None,
) -> PriceChange:
    """The (unsaved) history row of one price change: who, when, old and new.

    Every write of a base or price-list price builds its row here, so the
    history reads the same whichever screen or import made the change.
    """
    return PriceChange(
        sku=sku,
        currency=currency,
        price_list=price_list,
        field=field,
        old_amount=old_amount,
        new_amount=new_amount,
        changed_by=changed_by,
        changed_by_id=changed_by_id,
        changed_at=changed_at,
    )


@atomic("pricing")
def price_save(
    *, price: Price, changed_by: str = SYSTEM, changed_by_id: int | None = None
) -> Price:
    """Save a base price edited elsewhere (admin form): record history, announce the change."""
    price.full_clean()
    old = (
        Price.objects.select_for_update()
        .filter(pk=price.pk)
        .values("amount", "compare_at_amount")
        .first()
        if price.pk
        else None
    ) or {"amount": None, "compare_at_amount": None}
    price.save()
    now = timezone.now()
    changes = [
        price_change_row(
            sku=price.sku,
            currency=price.currency,
            field=field,
            old_amount=old[field],
            new_amount=getattr(price, field),
            changed_by=changed_by,
            changed_by_id=changed_by_id,
            changed_at=now,
        )
        for field in ("amount", "compare_at_amount")
        if old[field] != getattr(price, field)
    ]
    if changes:
        PriceChange.objects.bulk_create(changes)
        cache.prices_changed()
        publish(
            PriceChanged(
                sku=price.sku,
                currency=price.currency,
                old_amount=old["amount"],
                new_amount=price.amount,
                changed_at=now,
                compare_at_amount=price.compare_at_amount,
                changed_by=changed_by,
            )
        )
    return price


@atomic("pricing")
def price_set(
    *,
    sku: str,
    price: Money,
    compare_at: Money | None = None,
    changed_by: str = SYSTEM,
    changed_by_id: int | None = None,
) -> Price:
    """Set the base price of ``sku`` in ``price.currency``, and its compare-at price if given.

    Without ``compare_at`` the current one is kept while it is still above
    the price, and dropped otherwise (a "was" price below the price would
    mislead); so re-running an import of base prices changes nothing.
    """
    if compare_at is not None and compare_at.currency != price.currency:
        raise ValueError("the compare-at price must be in the price's currency")
    existing = Price.objects.select_for_update().filter(sku=sku, currency=price.currency).first()
    row = existing or Price(sku=sku, currency=price.currency)
    row.amount = price.amount
    if compare_at is not None:
        row.compare_at_amount = compare_at.amount
    elif row.compare_at_amount is not None and row.compare_at_amount <= price.amount:
        row.compare_at_amount = None
    return price_save(price=row, changed_by=changed_by, changed_by_id=changed_by_id)
