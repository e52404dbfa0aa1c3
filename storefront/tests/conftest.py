import pytest
from django.core.cache import cache

from catalog import api as catalog_api
from catalog.dtos import ProductInput, VariantInput


@pytest.fixture
def structure(db):
    """kitchen > pans, clothing and gifts; an apparel type with a material and sizes."""
    catalog_api.upsert_category(slug="kitchen", name="Kitchen")
    catalog_api.upsert_category(slug="pans", name="Pans", parent_slug="kitchen")
    catalog_api.upsert_category(slug="clothing", name="Clothing")
    catalog_api.upsert_category(slug="gifts", name="Gifts")
    catalog_api.upsert_product_type(
        slug="apparel",
        name="Apparel",
        attributes=[
            ("material", "Material", "choice", False, ["Wool", "Linen"]),
            ("size", "Size", "choice", True, ["S", "M", "L"]),
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
        "attributes": (("material", "Wool"),),
        "variants": tuple(
            VariantInput(sku=f"{sku}-{size}", options=(("size", size),)) for size in "SML"
        ),
    }
    return ProductInput(sku=sku, title=title, **{**defaults, **fields})


def upsert(*inputs: ProductInput) -> None:
    report = catalog_api.upsert_products(products=list(inputs))
    assert not report.errors, report.errors


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
