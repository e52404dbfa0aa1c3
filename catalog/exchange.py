"""The catalog's file formats for bulk import and export: CSV and JSON Lines.

CSV: one row per variant, the product's columns repeated on each of its
rows (or left empty after the first). Columns (docs/catalog.md):

    product_sku, title, slug, description, status, category,
    secondary_categories, brand, product_type, attributes,
    variant_sku, variant_name, variant_options

Lists use ``|``: ``secondary_categories`` = ``gifts|sale``; ``attributes``
and ``variant_options`` = ``code=value|code=value``. A product without
variants leaves the variant columns empty (its variant SKU is its own).

JSON Lines: one product per line, e.g.
``{"sku": "SW-1", "title": "Sweater", "category": "clothing",
"attributes": {"material": "Wool"},
"variants": [{"sku": "SW-1-M", "options": {"size": "M"}}]}``.

Reading never raises on bad content: it returns what it could read and
the problems, each with the file's row (line) number, the column and why.
It reads a product at a time (``csv_products``, ``jsonl_products``), so an
import holds one batch in memory (``batches``), whatever the file's size;
a product's CSV rows therefore follow each other (as the export writes
them): the same code again further down is another product, refused as a
repeated SKU.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from catalog.dtos import AttributeText, InputError, OptionChoice, ProductInput, VariantInput
from catalog.models import Product
from kernel.uploads import UnreadableFile, csv_rows, unstorable_text

COLUMNS = [
    "product_sku",
    "title",
    "slug",
    "description",
    "status",
    "category",
    "secondary_categories",
    "brand",
    "product_type",
    "attributes",
    "variant_sku",
    "variant_name",
    "variant_options",
]
PRODUCT_COLUMNS = COLUMNS[:10]
REQUIRED = {"product_sku", "title"}
#: Field names of upsert errors -> the file's column names.
CSV_COLUMN = {"sku": "product_sku"}


@dataclass
class Source:
    """Where an input came from: its product's row and each variant's row."""

    row: int
    variant_rows: list[int] = field(default_factory=list)


@dataclass
class Parsed:
    inputs: list[ProductInput] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def extend(self, other: Parsed) -> None:
        self.inputs += other.inputs
        self.sources += other.sources
        self.errors += other.errors

    def without_bad_rows(self) -> Parsed:
        """Only the products none of whose rows had a problem already while reading."""
        bad = {error.row for error in self.errors}
        kept = [
            (item, source)
            for item, source in zip(self.inputs, self.sources, strict=True)
            if not bad & {source.row, *source.variant_rows}
        ]
        return Parsed(
            inputs=[item for item, _ in kept],
            sources=[source for _, source in kept],
            errors=self.errors,
        )

    def locate(self, error: InputError) -> InputError:
        """An upsert error (input index, field) as a file error (row, column)."""
        source = self.sources[error.row - 1]
        row = source.row
        if error.variant is not None and error.variant < len(source.variant_rows):
            row = source.variant_rows[error.variant]
        return InputError(row, CSV_COLUMN.get(error.column, error.column), error.reason)


def _pairs(
    text: str, row: int, column: str, errors: list, kind: type[AttributeText | OptionChoice]
) -> tuple[AttributeText, ...] | tuple[OptionChoice, ...]:
    """``code=value|code=value`` as ``kind`` (an attribute's text or a variant's option)."""
    pairs = []
    for part in filter(None, (p.strip() for p in text.split("|"))):
        code, sep, value = part.partition("=")
        if not sep or not code.strip() or not value.strip():
            errors.append(InputError(row, column, f"{part!r} is not code=value"))
            continue
        pairs.append(kind(code=code.strip(), value=value.strip()))
    return tuple(pairs)


def batches(products: Iterable[Parsed], size: int) -> Iterator[Parsed]:
    """The products read, ``size`` at a time (with the problems of their rows)."""
    batch = Parsed()
    for product in products:
        batch.extend(product)
        if len(batch.inputs) >= size:
            yield batch
            batch = Parsed()
    if batch.inputs or batch.errors:
        yield batch


def csv_products(lines: Iterable[str]) -> Iterator[Parsed]:
    """Each product of a CSV file as it is read: its following rows with the same code.

    A row the file cannot be read past (a NUL character, a cell past the ``csv``
    module's limit: ``kernel.uploads``) is a bad row, and reading stops there.
    """
    current: _Rows | None = None
    try:
        header, rows = csv_rows(lines)
        if missing := REQUIRED - set(header):
            missing_columns = ", ".join(sorted(missing))
            yield Parsed(errors=[InputError(1, missing_columns, "required column missing")])
            return
        for row_number, raw in rows:
            row = {key: (value or "").strip() for key, value in raw.items() if key}
            if current is None or row.get("product_sku", "") != current.sku:
                if current is not None:
                    yield current.parsed()
                current = _Rows(row, Source(row_number))
            else:
                _check_repeated(current.first, row, row_number, current.errors)
            current.add_variant(row, row_number)
    except UnreadableFile as unreadable:
        yield Parsed(errors=[InputError(unreadable.row, "-", unreadable.reason)])
    if current is not None:
        yield current.parsed()


class _Rows:
    """The rows of one CSV product read so far."""

    def __init__(self, first: dict, source: Source) -> None:
        self.first, self.source = first, source
        self.sku = first.get("product_sku", "")
        self.variants: list[VariantInput] = []
        self.errors: list[InputError] = []

    def add_variant(self, row: dict, row_number: int) -> None:
        if not row.get("variant_sku"):
            return
        options = _pairs(row.get("variant_options", ""), row_number, "variant_options",
                         self.errors, OptionChoice)  # fmt: skip
        self.variants.append(
            VariantInput(sku=row["variant_sku"], options=options, name=row.get("variant_name", ""))
        )
        self.source.variant_rows.append(row_number)

    def parsed(self) -> Parsed:
        item = _product_from_row(self.first, self.source, self.variants, self.errors)
        return Parsed(inputs=[item], sources=[self.source], errors=self.errors)


def _list(text: str) -> tuple[str, ...]:
    return tuple(filter(None, (part.strip() for part in text.split("|"))))


def _product_from_row(first: dict, source: Source, variants: list, errors: list) -> ProductInput:
    return ProductInput(
        sku=first.get("product_sku", ""),
        title=first.get("title", ""),
        slug=first.get("slug", ""),
        description=first.get("description", ""),
        status=first.get("status") or "published",
        category=first.get("category") or None,
        secondary_categories=_list(first.get("secondary_categories", "")),
        brand=first.get("brand") or None,
        product_type=first.get("product_type") or None,
        attributes=_pairs(
            first.get("attributes", ""), source.row, "attributes", errors, AttributeText
        ),
        variants=tuple(variants),
    )


def _check_repeated(first: dict, row: dict, row_number: int, errors: list) -> None:
    """A product's later rows may leave its columns empty, but not contradict the first."""
    for column in PRODUCT_COLUMNS[1:]:
        if row.get(column) and row.get(column) != first.get(column):
            errors.append(InputError(row_number, column, "differs from the product's first row"))


def jsonl_products(lines: Iterable[str]) -> Iterator[Parsed]:
    """Each product of a JSON Lines file as it is read (a line each)."""
    for row_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise TypeError("a line must be a JSON object")
            if refusal := unstorable_text(data):  # "\u0000" or "\ud800" escaped in it
                raise ValueError(refusal)
            item = _product_from_json(data)
        except (ValueError, TypeError, AttributeError, RecursionError) as exc:
            # RecursionError: a line nested thousands deep exhausts the JSON parser's stack.
            yield Parsed(errors=[InputError(row_number, "-", f"not a product: {exc}")])
            continue
        yield Parsed(inputs=[item], sources=[Source(row_number, [row_number] * len(item.variants))])


def _text(data: dict, key: str) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str | int | float):
        raise TypeError(f"{key} must be text")
    return str(value)


def _product_from_json(data: dict) -> ProductInput:
    variants = data.get("variants") or []
    for key, kind in [("variants", list), ("secondary_categories", list), ("attributes", dict)]:
        if not isinstance(data.get(key) or kind(), kind):
            raise TypeError(f"{key} must be a{'n object' if kind is dict else ' list'}")
    return ProductInput(
        sku=_text(data, "sku"),
        title=_text(data, "title"),
        slug=_text(data, "slug"),
        description=_text(data, "description"),
        status=_text(data, "status") or "published",
        category=_text(data, "category") or None,
        secondary_categories=tuple(map(str, data.get("secondary_categories") or ())),
        brand=_text(data, "brand") or None,
        product_type=_text(data, "product_type") or None,
        attributes=tuple(
            AttributeText(code=str(k), value=str(v))
            for k, v in (data.get("attributes") or {}).items()
        ),
        variants=tuple(
            VariantInput(
                sku=_text(v, "sku"),
                name=_text(v, "name"),
                options=tuple(
                    OptionChoice(code=str(k), value=str(x))
                    for k, x in (v.get("options") or {}).items()
                ),
            )
            for v in variants
        ),
    )


# --- Export -----------------------------------------------------------------


def _products(queryset) -> Iterator[Product]:
    return (
        queryset.select_related("brand", "category", "product_type")
        .prefetch_related(
            "secondary_categories",
            "attribute_values__attribute",
            "attribute_values__choice",
            "variants__option_values__attribute",
        )
        .order_by("sku")
        .iterator(chunk_size=1000)
    )


def _product_record(product: Product) -> dict:
    return {
        "sku": product.sku,
        "title": product.title,
        "slug": product.slug,
        "description": product.description,
        "status": product.status,
        "category": product.category.slug if product.category else "",
        "secondary_categories": [c.slug for c in product.secondary_categories.all()],
        "brand": product.brand.name if product.brand else "",
        "product_type": product.product_type.slug if product.product_type else "",
        "attributes": {v.attribute.code: _export_value(v) for v in product.attribute_values.all()},
        "variants": [
            {
                "sku": v.sku,
                "name": v.name,
                "options": {
                    c.attribute.code: c.value
                    for c in sorted(v.option_values.all(), key=_by_attribute_position)
                },
            }
            for v in product.variants.all()
        ],
    }


def _by_attribute_position(value_or_choice) -> tuple[int, int]:
    return (value_or_choice.attribute.position, value_or_choice.attribute.pk)


def _export_value(value) -> str:
    """The value as the importer reads it back (yes/no, plain numbers, choice values)."""
    if value.attribute.kind == "boolean":
        return "yes" if value.boolean else "no"
    if value.attribute.kind == "number":
        return f"{value.number.normalize():f}" if value.number is not None else ""
    return value.display


def _joined(pairs: dict) -> str:
    return "|".join(f"{key}={value}" for key, value in pairs.items())


def write_csv(queryset, out) -> int:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for product in _products(queryset):
        record = _product_record(product)
        head = [
            record["sku"], record["title"], record["slug"], record["description"],
            record["status"], record["category"], "|".join(record["secondary_categories"]),
            record["brand"], record["product_type"], _joined(record["attributes"]),
        ]  # fmt: skip
        for variant in record["variants"]:
            writer.writerow([*head, variant["sku"], variant["name"], _joined(variant["options"])])
        count += 1
    return count


def write_jsonl(queryset, out) -> int:
    count = 0
    for product in _products(queryset):
        out.write(json.dumps(_product_record(product), ensure_ascii=False) + "\n")
        count += 1
    return count
