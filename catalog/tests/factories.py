"""Building a small catalog for tests through the public write path."""

from __future__ import annotations

from catalog import api
from catalog.dtos import ProductInput, VariantInput


def build_structure() -> None:
    """home > kitchen > pans, plus "gifts"; an apparel type with typed attributes."""
    api.upsert_category(slug="kitchen", name="Kitchen")
    api.upsert_category(slug="pans", name="Pans", parent_slug="kitchen")
    api.upsert_category(slug="clothing", name="Clothing")
    api.upsert_category(slug="gifts", name="Gifts")
    api.upsert_product_type(
        slug="apparel",
        name="Apparel",
        attributes=[
            ("material", "Material", "choice", False, ["Wool", "Cotton", "Linen"]),
            ("weight", "Weight", "number", False, []),
            ("organic", "Organic", "boolean", False, []),
            ("care", "Care", "text", False, []),
            ("size", "Size", "choice", True, ["S", "M", "L"]),
            ("colour", "Colour", "choice", True, ["Red", "Blue"]),
        ],
    )


def product(sku: str, title: str, **fields) -> ProductInput:
    return ProductInput(sku=sku, title=title, **fields)


def sweater(sku: str = "SW-1", title: str = "Wool Sweater", **fields) -> ProductInput:
    defaults = {
        "category": "clothing",
        "secondary_categories": ("gifts",),
        "brand": "Northwool",
        "product_type": "apparel",
        "description": "A warm jumper for cold days.",
        "attributes": (("material", "Wool"), ("weight", "450"), ("organic", "yes")),
        "variants": tuple(
            VariantInput(sku=f"{sku}-{size}", options=(("size", size), ("colour", "Red")))
            for size in ("S", "M", "L")
        ),
    }
    return ProductInput(sku=sku, title=title, **{**defaults, **fields})


def upsert(*inputs: ProductInput, **options):
    """Upsert ``inputs``; without options they must all be valid."""
    report = api.upsert_products(products=list(inputs), **options)
    assert options or not report.errors, report.errors
    return report
