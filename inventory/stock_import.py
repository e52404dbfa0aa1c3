"""Reading a CSV of stock counts, reporting every bad row before anything is written.

The file has a header row with at least the columns ``warehouse`` (code),
``sku`` and ``quantity`` (the counted units on hand, 0 or more); other
columns are ignored. Each bad cell is reported as (row, column, reason),
rows numbered as a spreadsheet shows them (the header is row 1). Only a
file without a single bad row is applied, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog import api as catalog_api
from inventory.models import Stock, Warehouse
from kernel.display import count_display
from kernel.quantities import LARGEST_COUNT, whole_number
from kernel.uploads import UnreadableFile, csv_rows, upload_text

COLUMNS = ("warehouse", "sku", "quantity")
MAX_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class CountRow:
    """One row as read; ``quantity`` is None when the cell is not a count."""

    row: int
    warehouse: str
    sku: str
    quantity: int | None


@dataclass(frozen=True, slots=True)
class ParsedImport:
    counts: list[CountRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def summary(rows: int, changed: int) -> str:
    """What an import did, as staff read it (the admin's message, the command's output)."""
    return (
        f"Imported {count_display(rows, 'row')}; "
        f"{count_display(changed, 'quantity', 'quantities')} changed."
    )


def _error_order(error: RowError) -> tuple[int, int]:
    return error.row, COLUMNS.index(error.column) if error.column in COLUMNS else -1


def parse(raw: bytes) -> ParsedImport:
    """Check every cell of every row; the counts are only usable without errors."""
    counts, errors = [], []
    try:
        header, rows = csv_rows(upload_text(raw))
        if missing := [c for c in COLUMNS if c not in header]:
            return ParsedImport(
                [], [RowError(1, c, "Missing column in the header row.") for c in missing]
            )
        for row_number, row in rows:
            if row_number - 1 > MAX_ROWS:
                errors.append(
                    RowError(row_number, "", f"More than {MAX_ROWS} rows; split the file.")
                )
                break
            counts.append(_read_row(row_number, row, errors))
    except UnreadableFile as unreadable:
        errors.append(RowError(unreadable.row, "", unreadable.reason))
    if not counts and not errors:
        errors.append(RowError(2, "", "The file has no rows below the header."))
    _check_against_the_database(counts, errors)
    return ParsedImport(counts, sorted(errors, key=_error_order))


def _read_row(row_number: int, row: dict, errors: list[RowError]) -> CountRow:
    cells = {column: (row.get(column) or "").strip() for column in COLUMNS}
    for column in COLUMNS:
        if not cells[column]:
            errors.append(RowError(row_number, column, "Required."))
    quantity = None
    if cells["quantity"]:
        quantity = whole_number(cells["quantity"])
        if quantity is None:
            errors.append(
                RowError(row_number, "quantity", f"Not a whole number: {cells['quantity']!r}.")
            )
        elif quantity < 0:
            errors.append(RowError(row_number, "quantity", "Must be 0 or more."))
        elif quantity > LARGEST_COUNT:
            errors.append(RowError(row_number, "quantity", f"Must be at most {LARGEST_COUNT}."))
    return CountRow(row_number, cells["warehouse"], cells["sku"], quantity)


def _check_against_the_database(counts: list[CountRow], errors: list[RowError]) -> None:
    """Unknown warehouses and SKUs, duplicates, counts below allocated: batch queries.

    Empty cells were reported already and are not checked again.
    """
    warehouses = set(
        Warehouse.objects.filter(code__in={c.warehouse for c in counts}).values_list(
            "code", flat=True
        )
    )
    known_skus = catalog_api.products_by_sku(skus=sorted({c.sku for c in counts if c.sku})).keys()
    allocated = {
        (code, sku): units
        for code, sku, units in Stock.objects.filter(sku__in={c.sku for c in counts}).values_list(
            "warehouse__code", "sku", "allocated"
        )
    }
    first_seen: dict[tuple[str, str], int] = {}
    for count in counts:
        key = (count.warehouse, count.sku)
        if count.warehouse and count.warehouse not in warehouses:
            errors.append(
                RowError(count.row, "warehouse", f"No warehouse with code {count.warehouse!r}.")
            )
        if count.sku and count.sku not in known_skus:
            errors.append(
                RowError(count.row, "sku", f"No product with SKU {count.sku!r} in the catalog.")
            )
        if all(key) and key in first_seen:
            errors.append(
                RowError(count.row, "sku", f"Same warehouse and SKU as row {first_seen[key]}.")
            )
        first_seen.setdefault(key, count.row)
        held = allocated.get(key, 0)
        if count.quantity is not None and 0 <= count.quantity < held:
            errors.append(
                RowError(
                    count.row,
                    "quantity",
                    f"Below the {held} units allocated to orders in this warehouse.",
                )
            )
