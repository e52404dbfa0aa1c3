"""Creating and updating products and variants by SKU, and the events that follow."""

import pytest

from catalog import api
from catalog.dtos import VariantInput
from catalog.events import ProductArchived, ProductChanged, ProductPublished
from catalog.models import Product, ProductVariant
from kernel import eventcodec
from kernel.outbox import published
from kernel.tests.outboxes import event_count
from tests.builders import attrs, opts, product, simple_product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


def events(event_class) -> list:
    rows = published(event_class.event_type).order_by("id")
    return [eventcodec.decode(event_class, row.payload) for row in rows]


def test_a_product_is_created_with_its_variants_options_and_attributes():
    report = upsert(sweater())
    assert (report.created, report.updated, report.written) == (1, 0, True)
    detail = api.product_by_sku(sku="SW-1")
    assert detail.variant_skus == ("SW-1-S", "SW-1-M", "SW-1-L")
    assert [o.value for o in detail.variants[1].options] == ["M", "Red"]
    assert detail.variants[1].name == "M / Red"
    assert {a.code: a.value for a in detail.attributes} == {
        "material": "Wool",
        "weight": "450",
        "organic": "Yes",
    }
    assert detail.brand.name == "Northwool"
    assert [c.slug for c in detail.secondary_categories] == ["gifts"]


def test_a_product_without_options_gets_one_variant_with_its_own_code():
    upsert(product("MUG-1", "Mug", category="kitchen"))
    assert list(ProductVariant.objects.values_list("sku", flat=True)) == ["MUG-1"]


def test_events_carry_every_variant_sku_and_category_path_primary_first():
    upsert(sweater(category="pans"))
    (changed,) = events(ProductChanged)
    assert changed.variant_skus == ("SW-1-S", "SW-1-M", "SW-1-L")
    assert changed.category_slugs == ("pans", "kitchen", "gifts")
    assert changed.brand == "Northwool"
    (published,) = events(ProductPublished)
    assert published.sku == "SW-1"
    assert published.published_at is not None


def test_each_change_is_stamped_later_than_the_one_before():
    upsert(sweater(title="Wool Sweater"))
    upsert(sweater(title="Merino Sweater"))
    first, second = events(ProductChanged)
    assert first.changed_at is not None
    assert first.changed_at < second.changed_at
    assert second.title == "Merino Sweater"


def test_an_unchanged_product_is_not_written_or_announced_again():
    upsert(sweater())
    before = event_count()
    report = upsert(sweater())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert event_count() == before


def test_archiving_announces_the_product_archived():
    upsert(sweater())
    upsert(sweater(status="archived"))
    (archived,) = events(ProductArchived)
    assert archived.variant_skus == ("SW-1-S", "SW-1-M", "SW-1-L")
    assert api.product_by_sku(sku="SW-1") is None  # not shown to shoppers any more
    assert api.product_by_sku(sku="SW-1", include_unpublished=True).status == "archived"


def test_variants_missing_from_the_input_are_removed():
    upsert(sweater())
    upsert(sweater(variants=(VariantInput(sku="SW-1-M", options=opts(size="M")),)))
    assert list(ProductVariant.objects.values_list("sku", flat=True)) == ["SW-1-M"]
    assert events(ProductChanged)[-1].variant_skus == ("SW-1-M",)


def test_a_renamed_slug_keeps_redirecting():
    upsert(sweater(slug="wool-sweater"))
    upsert(sweater(slug="merino-sweater"))
    upsert(sweater(slug="merino-jumper"))
    for old in ("wool-sweater", "merino-sweater"):
        assert api.product_by_slug(slug=old).slug == "merino-jumper"


def test_every_bad_input_is_reported_with_row_column_and_reason_and_nothing_is_written():
    report = upsert(
        sweater(),
        product("", "No code"),
        sweater(sku="SW-2", category="nowhere", attributes=attrs(weight="heavy")),
        sweater(sku="SW-3", variants=(VariantInput(sku="SW-1-S", options=opts(size="XL")),)),
        dry_run=True,
    )
    found = {(e.row, e.column, e.reason) for e in report.errors}
    assert (2, "sku", "required; letters, digits and . _ - only, at most 64") in found
    assert (3, "category", "no category with slug 'nowhere'") in found
    assert (3, "attributes", "weight: 'heavy' is not a number") in found
    assert (4, "variant_options", "size: 'XL' is not one of S, M, L") in found
    assert (4, "variant_sku", "SW-1-S also listed for SW-1") in found
    report = upsert(sweater(), sweater(sku="SW-2", category="nowhere"), dry_run=False)
    assert not report.written
    assert Product.objects.count() == 0


def test_skip_invalid_writes_only_the_valid_inputs():
    report = upsert(sweater(), sweater(sku="SW-2", category="nowhere"), skip_invalid=True)
    assert report.written
    assert report.created == 1
    assert [e.row for e in report.errors] == [2]
    assert list(Product.objects.values_list("sku", flat=True)) == ["SW-1"]


def test_dry_run_reports_what_would_change_without_writing():
    upsert(sweater())
    report = upsert(sweater(title="Merino Sweater"), sweater(sku="SW-2"), dry_run=True)
    assert (report.created, report.updated, report.written) == (1, 1, False)
    assert Product.objects.get(sku="SW-1").title == "Wool Sweater"


def test_a_variant_sku_cannot_move_to_another_product():
    upsert(sweater())
    report = upsert(product("HAT-1", "Hat", variants=(VariantInput(sku="SW-1-S"),)), dry_run=True)
    assert [(e.column, e.reason) for e in report.errors] == [
        ("variant_sku", "SW-1-S is a variant of product SW-1")
    ]


def test_a_simple_product_has_one_variant_whose_sku_is_its_code():
    simple_product(sku="MUG-2", title="Mug", slug="mug", category="kitchen")
    product_id = api.product_by_sku(sku="MUG-2").id
    assert api.products_by_id(ids=[product_id])[product_id].variant_skus == ("MUG-2",)
    report = upsert(product("MUG-3", "Mug", slug="m3", category="x"), dry_run=True)
    assert [error.column for error in report.errors] == ["category"]


def test_moving_or_renaming_a_category_announces_its_products_new_paths():
    from catalog import services
    from catalog.models import Category

    upsert(sweater(category="pans", secondary_categories=()))
    pans = Category.objects.get(slug="pans")
    pans.slug = "frying-pans"
    pans.parent = Category.objects.get(slug="clothing")
    services.category_save(category=pans)
    assert events(ProductChanged)[-1].category_slugs == ("frying-pans", "clothing")
    assert "Clothing" in Product.objects.get().search_keywords


def test_deleting_products_announces_them_archived():
    from catalog import services

    upsert(sweater())
    services.products_delete(product_ids=list(Product.objects.values_list("pk", flat=True)))
    (archived,) = events(ProductArchived)
    assert archived.variant_skus == ("SW-1-S", "SW-1-M", "SW-1-L")
    assert not Product.objects.exists()


def test_values_that_would_not_fit_the_database_are_reported_not_crashed_on():
    report = upsert(
        sweater(attributes=attrs(weight="1e12"), brand="B" * 121),
        sweater(sku="SW-2", attributes=attrs(weight="0.00001")),
        sweater(sku="SW-3", variants=(VariantInput(sku="SW-3-S", name="n" * 201),)),
        dry_run=True,
    )
    assert {(e.row, e.column) for e in report.errors} == {
        (1, "attributes"),
        (1, "brand"),
        (2, "attributes"),
        (3, "variant_name"),
    }
