"""The catalog's cached reads (catalog/cache.py): cached, and fresh after each change.

A warm read makes no query; the change (through the catalog's own write
paths, which publish its events) makes the very next read fresh, without
waiting for the relay.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import api, services
from catalog.dtos import ListingQuery, Sort
from tests.builders import product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


def test_a_product_document_is_cached_and_follows_an_edit(django_assert_num_queries):
    upsert(sweater(slug="wool-sweater"))
    api.product_by_slug(slug="wool-sweater")
    api.product_by_sku(sku="SW-1-M")
    with django_assert_num_queries(0):
        assert api.product_by_slug(slug="wool-sweater").title == "Wool Sweater"
        assert api.product_by_sku(sku="SW-1-M").title == "Wool Sweater"
    upsert(sweater(slug="wool-sweater", title="Merino Sweater"))
    assert api.product_by_slug(slug="wool-sweater").title == "Merino Sweater"
    assert api.product_by_sku(sku="SW-1-M").title == "Merino Sweater"


def test_an_archived_product_is_gone_at_once():
    upsert(sweater(slug="wool-sweater"))
    assert api.product_by_slug(slug="wool-sweater") is not None
    upsert(sweater(slug="wool-sweater", status="archived"))
    assert api.product_by_slug(slug="wool-sweater") is None


def test_the_category_tree_is_cached_and_follows_a_rename(django_assert_num_queries):
    api.category_tree()
    with django_assert_num_queries(0):
        assert "Kitchen" in [node.name for node in api.category_tree()]
    api.upsert_category(slug="kitchen", name="Cookware")
    assert "Cookware" in [node.name for node in api.category_tree()]
    assert api.category_by_slug(slug="pans").breadcrumbs[0].name == "Cookware"


def test_a_renamed_category_shows_in_a_cached_product_document():
    upsert(sweater(slug="wool-sweater"))
    assert api.product_by_slug(slug="wool-sweater").category.name == "Clothing"
    api.upsert_category(slug="clothing", name="Knitwear")
    assert api.product_by_slug(slug="wool-sweater").category.name == "Knitwear"


def titles(query: ListingQuery) -> list[str]:
    return [item.title for item in api.listing(query=query).page.items]


def test_a_listing_is_cached_and_follows_new_products(django_assert_num_queries):
    query = ListingQuery(category="kitchen")
    upsert(product("P-1", "Pan", category="pans"))
    titles(query)
    with django_assert_num_queries(0):
        assert titles(query) == ["Pan"]
    upsert(product("P-2", "Pot", category="kitchen"))
    assert sorted(titles(query)) == ["Pan", "Pot"]


def test_a_listing_follows_the_price_projection():
    upsert(product("P-1", "Pan", category="pans"), product("P-2", "Pot", category="pans"))
    now = timezone.now()
    services.price_project(sku="P-1", currency="EUR", amount=Decimal(5), changed_at=now)
    services.price_project(sku="P-2", currency="EUR", amount=Decimal(9), changed_at=now)
    query = ListingQuery(category="pans", sort=Sort.PRICE_ASC, currency="EUR")
    assert titles(query) == ["Pan", "Pot"]
    later = now + timedelta(seconds=1)
    services.price_project(sku="P-1", currency="EUR", amount=Decimal(20), changed_at=later)
    assert titles(query) == ["Pot", "Pan"]


def test_a_listing_follows_stock_and_ratings():
    upsert(product("P-1", "Pan", category="pans"))
    in_stock = ListingQuery(category="pans", in_stock=True)
    rated = ListingQuery(category="pans", rating_min=4)
    assert titles(in_stock) == titles(rated) == []
    services.stock_project(sku="P-1", quantity=2, changed_at=timezone.now())
    (pan,) = api.products_by_sku(skus=["P-1"]).values()
    services.rating_project(
        product_id=pan.id, average=Decimal("4.5"), count=2, changed_at=timezone.now()
    )
    assert titles(in_stock) == titles(rated) == ["Pan"]
