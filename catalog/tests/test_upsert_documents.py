"""The bulk upsert builds documents and search fields from what it writes, without reading
them back (catalog/upsert/derive.py): they must be exactly what every other write path,
which reads a product's relations back, writes for the same product."""

import pytest
from django.test.utils import CaptureQueriesContext

from catalog import api, documents, indexing
from catalog.dtos import ImageInput, VariantInput
from catalog.models import Product
from catalog.tests.test_images import jpeg
from kernel.databases import connection_of
from tests.builders import attrs, opts, product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")

FIELDS = ("sku", "document", "search_keywords", "search_vector")


def rewritten_by_reading_back() -> tuple[list[dict], list[dict]]:
    """Each product's document and search fields as stored, then as the other paths rewrite them."""
    as_upserted = list(Product.objects.order_by("sku").values(*FIELDS))
    ids = list(Product.objects.values_list("pk", flat=True))
    documents.refresh(product_ids=ids)
    indexing.reindex(product_ids=ids)
    return as_upserted, list(Product.objects.order_by("sku").values(*FIELDS))


def test_new_products_are_written_as_the_other_write_paths_write_them():
    upsert(
        sweater(secondary_categories=("gifts", "pans"), attributes=attrs(
            care="Hand wash", organic="no", weight="450.50", material="Linen"
        )),
        sweater("SW-2", brand="", product_type="apparel", attributes=attrs(care="Dry clean")),
        product("PAN-1", "Copper Pan", category="pans", status="published"),
    )  # fmt: skip
    as_upserted, reread = rewritten_by_reading_back()
    assert as_upserted == reread
    attributes = as_upserted[1]["document"]["attributes"]
    assert [attribute["name"] for attribute in attributes][:2] == ["Material", "Weight"]


def test_updated_products_keep_their_images_and_stored_variants_in_their_documents():
    upsert(sweater(), product("PAN-1", "Copper Pan", category="pans"))
    api.set_product_images(sku="SW-1", images=[ImageInput("sw.jpg", jpeg(), "Sweater")])
    kept = Product.objects.get(sku="SW-1").document["variants"][1]["id"]
    upsert(
        sweater(title="Wool Jumper", variants=(
            VariantInput(sku="SW-1-XL", options=opts(size="L", colour="Blue")),
            VariantInput(sku="SW-1-M", options=opts(size="M", colour="Red")),
        )),
        product("PAN-1", "Copper Pan", category="kitchen", brand="Pans & Co"),
    )  # fmt: skip
    as_upserted, reread = rewritten_by_reading_back()
    assert as_upserted == reread
    document = as_upserted[1]["document"]
    assert [variant["sku"] for variant in document["variants"]] == ["SW-1-XL", "SW-1-M"]
    assert document["variants"][1]["id"] == kept
    assert document["images"][0]["alt_text"] == "Sweater"


def queries_to_upsert(*inputs) -> int:
    with CaptureQueriesContext(connection_of("catalog")) as captured:
        upsert(*inputs)
    return len(captured)


def test_a_batch_costs_as_many_queries_for_three_products_as_for_one():
    """Nothing is read back per product, or loaded lazily per attribute value."""
    upsert(sweater("SW-0"))  # the brand exists from now on
    one = queries_to_upsert(sweater("SW-1"))
    assert queries_to_upsert(*(sweater(f"SW-{n}") for n in (2, 3, 4))) == one
