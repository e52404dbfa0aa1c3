"""Reads through catalog.api: DTOs, batch lookups, visibility, breadcrumbs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import api
from catalog.dtos import ProductDetail, ProductSummary
from catalog.models import Product
from tests.builders import product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


def test_batch_reads_by_sku_accept_codes_and_variant_skus_in_constant_queries(
    uncached, django_assert_num_queries
):
    upsert(sweater(), product("MUG-1", "Mug", category="pans"))
    with django_assert_num_queries(2):  # products (owners by a subquery) with documents, the tree
        found = api.products_by_sku(skus=["SW-1-M", "MUG-1", "NOPE"])
    assert set(found) == {"SW-1-M", "MUG-1"}
    assert isinstance(found["SW-1-M"], ProductSummary)
    assert found["SW-1-M"].sku == "SW-1"
    assert found["MUG-1"].category.slug == "pans"


def test_batch_reads_by_id():
    upsert(sweater(), sweater(sku="SW-2", title="Other"))
    ids = list(Product.objects.order_by("sku").values_list("pk", flat=True))
    found = api.products_by_id(ids=[*ids, 999_999])
    assert [found[i].sku for i in ids] == ["SW-1", "SW-2"]


def test_detail_has_breadcrumbs_from_the_root():
    upsert(product("PAN-1", "Pan", category="pans"))
    detail = api.product_by_slug(slug="pan-pan-1")
    assert isinstance(detail, ProductDetail)
    assert [c.slug for c in detail.breadcrumbs] == ["kitchen", "pans"]


def test_drafts_and_products_scheduled_later_are_not_shown():
    upsert(sweater(status="draft"), sweater(sku="SW-2", title="Soon"))
    Product.objects.filter(sku="SW-2").update(published_at=timezone.now() + timedelta(days=1))
    assert api.product_by_sku(sku="SW-1") is None
    assert api.product_by_sku(sku="SW-2") is None
    assert api.product_page(page=1, per_page=10).total == 0


def test_category_tree_and_former_category_slugs():
    from catalog import services
    from catalog.models import Category

    tree = api.category_tree()
    kitchen = next(node for node in tree if node.slug == "kitchen")
    assert [child.slug for child in kitchen.children] == ["pans"]
    pans = Category.objects.get(slug="pans")
    pans.slug = "frying-pans"
    services.category_save(category=pans)
    assert api.category_by_slug(slug="pans").slug == "frying-pans"
    assert api.category_by_slug(slug="nope") is None
