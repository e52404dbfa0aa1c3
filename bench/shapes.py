"""The catalogue shape the import benches share: a "bench" category and a
"sized" product type whose variants differ by size only."""

from __future__ import annotations

from collections.abc import Sequence


def create_sized_shape(sizes: Sequence[str]) -> None:
    """The "bench" category and the "sized" product type (a size option of ``sizes``)."""
    from catalog import api
    from catalog.dtos import AttributeSpec

    api.upsert_category(slug="bench", name="Bench")
    size = AttributeSpec(code="size", name="Size", kind="choice", is_variant_option=True,
                         choices=tuple(sizes))  # fmt: skip
    api.upsert_product_type(slug="sized", name="Sized", attributes=[size])


def sized_product(code: str, title: str, sizes: Sequence[str]):
    """A "bench" product ``code`` with one variant ``<code>-<size>`` per size."""
    from catalog.dtos import OptionChoice, ProductInput, VariantInput

    return ProductInput(
        sku=code,
        title=title,
        category="bench",
        product_type="sized",
        variants=tuple(
            VariantInput(sku=f"{code}-{size}", options=(OptionChoice("size", size),))
            for size in sizes
        ),
    )
