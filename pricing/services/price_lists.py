"""Customer-group price lists; every change of an entry is recorded in the price history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from kernel.databases import atomic
from pricing import cache
from pricing.dtos import SkuPrice
from pricing.models import PriceList, PriceListEntry
from pricing.services.prices import SYSTEM, price_change_row
from pricing.services.rows import save_if_changed


def _record(
    entry: PriceListEntry,
    *,
    old: Decimal | None,
    new: Decimal | None,
    changed_by: str,
    changed_by_id: int | None,
) -> None:
    price_change_row(
        sku=entry.sku,
        currency=entry.currency,
        price_list=entry.price_list,
        old_amount=old,
        new_amount=new,
        changed_by=changed_by,
        changed_by_id=changed_by_id,
        changed_at=timezone.now(),
    ).save()


@atomic("pricing")
def price_list_entry_save(
    *, entry: PriceListEntry, changed_by: str = SYSTEM, changed_by_id: int | None = None
) -> PriceListEntry:
    """Save a customer-group price and record the change in the price history."""
    entry.full_clean()
    cache.prices_changed()
    old = (
        PriceListEntry.objects.select_for_update()
        .filter(pk=entry.pk)
        .values_list("amount", flat=True)
        .first()
        if entry.pk
        else None
    )
    entry.save()
    if old != entry.amount:
        _record(
            entry, old=old, new=entry.amount, changed_by=changed_by, changed_by_id=changed_by_id
        )
    return entry


@atomic("pricing")
def price_list_entry_delete(
    *, entry: PriceListEntry, changed_by: str = SYSTEM, changed_by_id: int | None = None
) -> None:
    """Remove a customer-group price; the history keeps it, with no new amount."""
    cache.prices_changed()
    _record(entry, old=entry.amount, new=None, changed_by=changed_by, changed_by_id=changed_by_id)
    entry.delete()


@atomic("pricing")
def price_list_upsert(
    *,
    name: str,
    customer_group: str,
    prices: Iterable[SkuPrice],
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    changed_by: str = SYSTEM,
) -> PriceList:
    """Make the price list ``name`` hold exactly ``prices``; history for each changed entry."""
    cache.prices_changed()  # its window or group may change, not only its prices
    price_list = PriceList.objects.select_for_update().filter(name=name).first()
    price_list = price_list or PriceList(name=name)
    wanted = {
        "customer_group": customer_group,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    save_if_changed(price_list, wanted)
    entries = {(e.sku, e.currency): e for e in price_list.entries.select_for_update()}
    for item in prices:
        entry = entries.pop((item.sku, item.price.currency), None) or PriceListEntry(
            price_list=price_list, sku=item.sku, currency=item.price.currency
        )
        if entry.amount != item.price.amount:
            entry.amount = item.price.amount
            price_list_entry_save(entry=entry, changed_by=changed_by)
    for entry in entries.values():
        price_list_entry_delete(entry=entry, changed_by=changed_by)
    return price_list
