"""Importing prices in bulk: base prices, compare-at prices and price-list entries.

A file (CSV with a header row, or JSON Lines: one object per line) has the
columns ``sku``, ``currency``, ``price`` and optionally ``compare_at`` and
``price_list`` (the name of an existing customer-group price list; then
the row sets that list's price and has no compare-at). Every cell of every
row is checked first, and each problem is reported as "row N, column C:
reason" (rows numbered as a spreadsheet shows them, the header being row
1; a JSON Lines file's first object is row 1). By default only a file
without a single bad row is applied; ``skip_invalid`` applies the good rows.

Applying writes only what differs, in batches: prices created or updated
with ``bulk_create``/``bulk_update``, one history row per changed amount
(``prices.price_change_row``) and one ``pricing.price_changed.v1`` event per
changed base price (the search projection and caches follow), all in one
transaction. Without a compare-at cell, a base price keeps its compare-at
price while that is still above it, as ``prices.price_set`` does; so
importing an export (``export_rows``) changes nothing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from catalog import api as catalog_api
from kernel.databases import atomic
from kernel.display import count_display
from kernel.money import MINOR_UNITS, Money, plain_amount
from kernel.outbox import publish_many
from kernel.uploads import UnreadableFile, csv_rows, unstorable_text, upload_text
from pricing import cache
from pricing.events import PriceChanged
from pricing.models import Price, PriceChange, PriceList, PriceListEntry
from pricing.models.fields import AMOUNT_LIMIT
from pricing.services.prices import SYSTEM, price_change_row

COLUMNS = ("sku", "currency", "price", "compare_at", "price_list")
REQUIRED = ("sku", "currency", "price")
BATCH = 2000


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column or '-'}: {self.reason}"


@dataclass(frozen=True, slots=True)
class PriceRow:
    row: int
    sku: str
    currency: str
    price: Decimal | None
    compare_at: Decimal | None
    price_list: str


@dataclass(slots=True)
class ParsedPrices:
    rows: list[PriceRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(slots=True)
class ImportResult:
    """What an import changed (or, in a dry run, would change)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    history: list[PriceChange] = field(default_factory=list)
    events: list[PriceChanged] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{count_display(self.rows, 'row')}: {count_display(self.created, 'price')} created, "
            f"{self.updated} changed, {self.unchanged} unchanged; "
            f"{count_display(len(self.history), 'history row')}, "
            f"{count_display(len(self.events), 'event')}."
        )


# --- reading -------------------------------------------------------------------


def _records(raw: bytes, fmt: str, errors: list[RowError]) -> Iterator[tuple[int, dict]]:
    try:
        text = upload_text(raw)
        if fmt == "jsonl":
            yield from _json_records(text, errors)
            return
        header, rows = csv_rows(text)
        if missing := [column for column in REQUIRED if column not in header]:
            errors.extend(
                RowError(1, column, "Missing column in the header row.") for column in missing
            )
            return
        yield from rows
    except UnreadableFile as unreadable:
        errors.append(RowError(unreadable.row, "", unreadable.reason))


def _json_records(text: str, errors: list[RowError]) -> Iterator[tuple[int, dict]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):  # nested thousands deep: the parser's stack
            errors.append(RowError(number, "", "Not a JSON object."))
            continue
        if not isinstance(record, dict):
            errors.append(RowError(number, "", "Not a JSON object."))
            continue
        if refusal := unstorable_text(record):  # "\u0000" or "\ud800" escaped in it
            errors.append(RowError(number, "", refusal))
            continue
        yield number, {key: "" if value is None else str(value) for key, value in record.items()}


def _amount(cells: dict, column: str, row: int, currency: str, errors) -> Decimal | None:
    text = cells[column]
    if not text:
        return None
    amount = plain_amount(text)
    if amount is None:
        errors.append(RowError(row, column, f"Not an amount: {text!r}."))
        return None
    if amount < 0:
        errors.append(RowError(row, column, "Must be 0 or more."))
        return None
    if amount >= AMOUNT_LIMIT:
        errors.append(RowError(row, column, f"Must be less than {AMOUNT_LIMIT}."))
        return None
    if currency in MINOR_UNITS and Money(amount, currency).rounded().amount != amount:
        errors.append(RowError(row, column, f"{currency} has {MINOR_UNITS[currency]} decimals."))
        return None
    return amount


def _read_row(number: int, record: dict, errors: list[RowError]) -> PriceRow:
    cells = {column: (record.get(column) or "").strip() for column in COLUMNS}
    cells["currency"] = cells["currency"].upper()
    for column in REQUIRED:
        if not cells[column]:
            errors.append(RowError(number, column, "Required."))
    currency = cells["currency"]
    if currency and currency not in MINOR_UNITS:
        errors.append(RowError(number, "currency", f"Unknown currency {currency!r}."))
    price = _amount(cells, "price", number, currency, errors)
    compare_at = _amount(cells, "compare_at", number, currency, errors)
    if compare_at is not None and cells["price_list"]:
        errors.append(RowError(number, "compare_at", "A price-list price has no compare-at."))
    elif compare_at is not None and price is not None and compare_at <= price:
        errors.append(RowError(number, "compare_at", "Must be above the price."))
    return PriceRow(number, cells["sku"], currency, price, compare_at, cells["price_list"])


def parse(raw: bytes, *, fmt: str = "csv") -> ParsedPrices:
    """Check every cell of every row, then SKUs, price lists and duplicates (batched)."""
    errors: list[RowError] = []
    rows = [_read_row(number, record, errors) for number, record in _records(raw, fmt, errors)]
    if not rows and not errors:
        errors.append(RowError(2 if fmt == "csv" else 1, "", "The file has no price rows."))
    _check_references(rows, errors)
    errors.sort(
        key=lambda error: (
            error.row,
            COLUMNS.index(error.column) if error.column in COLUMNS else -1,
        )
    )
    return ParsedPrices(rows, errors)


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unknown_sku(sku: str) -> str:
    """What a row (or the admin's form) is told of a SKU the catalog does not sell."""
    return f"No product with SKU {sku!r} in the catalog."


def _check_references(rows: list[PriceRow], errors: list[RowError]) -> None:
    skus = sorted({row.sku for row in rows if row.sku})
    known: set[str] = set()
    for chunk in _chunks(skus):
        known.update(catalog_api.names_by_sku(skus=chunk))
    lists = set(
        PriceList.objects.filter(name__in={r.price_list for r in rows}).values_list(
            "name", flat=True
        )
    )
    first_seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        if row.sku and row.sku not in known:
            errors.append(RowError(row.row, "sku", unknown_sku(row.sku)))
        if row.price_list and row.price_list not in lists:
            errors.append(
                RowError(row.row, "price_list", f"No price list named {row.price_list!r}.")
            )
        key = (row.sku, row.currency, row.price_list)
        if key in first_seen:
            errors.append(
                RowError(
                    row.row, "sku", f"Same SKU, currency and price list as row {first_seen[key]}."
                )
            )
        first_seen.setdefault(key, row.row)


# --- applying ------------------------------------------------------------------


def valid_rows(parsed: ParsedPrices) -> list[PriceRow]:
    """The rows without any error (for ``skip_invalid``)."""
    bad = {error.row for error in parsed.errors}
    return [row for row in parsed.rows if row.row not in bad]


def _plan_base(rows: list[PriceRow], result: ImportResult, who: dict, now) -> tuple[list, list]:
    existing = {}
    for chunk in _chunks(sorted({row.sku for row in rows})):
        for price in Price.objects.filter(sku__in=chunk):
            existing[price.sku, price.currency] = price
    to_create, to_update = [], []
    for row in rows:
        price = existing.get((row.sku, row.currency))
        old = (None, None) if price is None else (price.amount, price.compare_at_amount)
        compare_at = row.compare_at
        if compare_at is None and old[1] is not None and old[1] > row.price:
            compare_at = old[1]  # kept while still above the price, as prices.price_set does
        if price is not None and (old[0], old[1]) == (row.price, compare_at):
            result.unchanged += 1
            continue
        if price is None:
            price = Price(sku=row.sku, currency=row.currency)
            to_create.append(price)
        else:
            to_update.append(price)
        price.amount, price.compare_at_amount, price.updated_at = row.price, compare_at, now
        for name, before, after in (
            ("amount", old[0], row.price),
            ("compare_at_amount", old[1], compare_at),
        ):
            if before != after:
                result.history.append(
                    price_change_row(
                        sku=row.sku,
                        currency=row.currency,
                        field=name,
                        old_amount=before,
                        new_amount=after,
                        changed_at=now,
                        **who,
                    )
                )
        result.events.append(
            PriceChanged(
                sku=row.sku,
                currency=row.currency,
                old_amount=old[0],
                new_amount=row.price,
                changed_at=now,
                compare_at_amount=compare_at,
                changed_by=who["changed_by"],
            )
        )
    return to_create, to_update


def _plan_lists(rows: list[PriceRow], result: ImportResult, who: dict, now) -> tuple[list, list]:
    lists = {
        pl.name: pl for pl in PriceList.objects.filter(name__in={row.price_list for row in rows})
    }
    existing = {
        (entry.price_list_id, entry.sku, entry.currency): entry
        for entry in PriceListEntry.objects.filter(
            price_list__in=lists.values(), sku__in={r.sku for r in rows}
        )
    }
    to_create, to_update = [], []
    for row in rows:
        price_list = lists[row.price_list]
        entry = existing.get((price_list.pk, row.sku, row.currency))
        old = None if entry is None else entry.amount
        if old == row.price:
            result.unchanged += 1
            continue
        if entry is None:
            entry = PriceListEntry(price_list=price_list, sku=row.sku, currency=row.currency)
            to_create.append(entry)
        else:
            to_update.append(entry)
        entry.amount = row.price
        result.history.append(
            price_change_row(
                sku=row.sku,
                currency=row.currency,
                old_amount=old,
                new_amount=row.price,
                changed_at=now,
                price_list=price_list,
                **who,
            )
        )
    return to_create, to_update


def apply(
    rows: list[PriceRow],
    *,
    dry_run: bool = False,
    changed_by: str = SYSTEM,
    changed_by_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write what differs, in one transaction; ``dry_run`` only counts it."""
    who = {"changed_by": changed_by, "changed_by_id": changed_by_id}
    now = timezone.now()
    result = ImportResult(rows=len(rows))
    base = [row for row in rows if not row.price_list]
    listed = [row for row in rows if row.price_list]
    with atomic("pricing"):
        prices_new, prices_changed = _plan_base(base, result, who, now)
        entries_new, entries_changed = _plan_lists(listed, result, who, now)
        result.created = len(prices_new) + len(entries_new)
        result.updated = len(prices_changed) + len(entries_changed)
        if dry_run:
            return result
        cache.prices_changed()
        fields = ["amount", "compare_at_amount", "updated_at"]
        work = [
            (Price.objects.bulk_create, prices_new),
            (lambda batch: Price.objects.bulk_update(batch, fields), prices_changed),
            (PriceListEntry.objects.bulk_create, entries_new),
            (lambda batch: PriceListEntry.objects.bulk_update(batch, ["amount"]), entries_changed),
            (PriceChange.objects.bulk_create, result.history),
            (publish_many, result.events),
        ]
        total, done = sum(len(items) for _, items in work), 0
        for step, items in work:
            for batch in _chunks(items):
                step(batch)
                done += len(batch)
                if progress:
                    progress(done, total)
    return result


# --- exporting -----------------------------------------------------------------


def export_rows() -> Iterable[dict[str, str]]:
    """Every base price and price-list price, as rows ``parse`` reads back unchanged."""

    def text(amount: Decimal | None, currency: str) -> str:
        return "" if amount is None else str(Money(amount, currency).rounded().amount)

    for price in Price.objects.order_by("sku", "currency").iterator(chunk_size=BATCH):
        yield {
            "sku": price.sku,
            "currency": price.currency,
            "price": text(price.amount, price.currency),
            "compare_at": text(price.compare_at_amount, price.currency),
            "price_list": "",
        }
    entries = PriceListEntry.objects.select_related("price_list").order_by(
        "price_list__name", "sku", "currency"
    )
    for entry in entries.iterator(chunk_size=BATCH):
        yield {
            "sku": entry.sku,
            "currency": entry.currency,
            "price": text(entry.amount, entry.currency),
            "compare_at": "",
            "price_list": entry.price_list.name,
        }


def write(rows: Iterable[dict[str, str]], out, *, fmt: str = "csv") -> None:
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row) + "\n")
        return
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
