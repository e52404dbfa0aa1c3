import pytest
from django.core.cache import cache

from catalog import api as catalog_api
from catalog.dtos import AttributeSpec, OptionChoice, ProductInput, VariantInput
from reviews.tests.factories import make_customer


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def products(db):
    """TEA (one SKU), MUG (variants MUG-S, MUG-L) on sale; OLD archived."""
    catalog_api.upsert_product_type(
        slug="mugs",
        name="Mugs",
        attributes=[
            AttributeSpec(
                code="size", name="Size", kind="choice", is_variant_option=True, choices=("S", "L")
            )
        ],
    )
    report = catalog_api.upsert_products(
        products=[
            ProductInput(sku="TEA", title="Green Tea"),
            ProductInput(
                sku="MUG",
                title="Mug",
                product_type="mugs",
                variants=tuple(
                    VariantInput(sku=f"MUG-{size}", options=(OptionChoice("size", size),))
                    for size in "SL"
                ),
            ),
            ProductInput(sku="OLD", title="Old Kettle", status="archived"),
        ]
    )
    assert not report.errors, report.errors
    found = catalog_api.products_by_sku(skus=["TEA", "MUG", "OLD"])
    return {sku: summary.id for sku, summary in found.items()}


@pytest.fixture
def ada(db):
    return make_customer("ada")


@pytest.fixture
def bob(db):
    return make_customer("bob")
