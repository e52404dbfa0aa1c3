"""Product documents (catalog/documents.py): one row per product page, kept by every write."""

import pytest
from django.db.models import Q

from catalog import api, services
from catalog.dtos import AttributeSpec
from catalog.models import Brand, Product
from tests.builders import sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


def test_a_product_page_reads_its_row_and_the_tree(uncached, django_assert_num_queries):
    upsert(sweater(slug="wool-sweater"))
    with django_assert_num_queries(2):
        product = api.product_by_slug(slug="wool-sweater")
    assert [v.sku for v in product.variants] == ["SW-1-S", "SW-1-M", "SW-1-L"]
    assert product.variants[0].options[0].attribute_name == "Size"
    assert product.brand.name == "Northwool"
    assert [c.slug for c in product.secondary_categories] == ["gifts"]
    assert [a.name for a in product.attributes][:1] == ["Material"]


def test_a_renamed_attribute_or_brand_is_rewritten_into_the_documents(uncached):
    upsert(sweater(slug="wool-sweater"))
    api.upsert_product_type(
        slug="apparel",
        name="Apparel",
        attributes=[
            AttributeSpec(code="material", name="Fabric", kind="choice", choices=("Wool",)),
            AttributeSpec(code="size", name="Size", kind="choice", is_variant_option=True),
        ],
    )
    Brand.objects.filter(slug="northwool").update(name="North Wool")  # the admin's form save
    services.structure_saved(products=Q(brand__slug="northwool"))
    product = api.product_by_slug(slug="wool-sweater")
    assert "Fabric" in [a.name for a in product.attributes]
    assert product.brand.name == "North Wool"


def test_a_row_without_a_document_gets_one_when_first_read(uncached):
    upsert(sweater(slug="wool-sweater"))
    Product.objects.update(document=None)  # written before documents existed
    assert api.product_by_slug(slug="wool-sweater").variants[0].sku == "SW-1-S"
    assert Product.objects.get(sku="SW-1").document is not None
