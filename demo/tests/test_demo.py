"""The demo data: deterministic, idempotent, and shaped like a real shop."""

import pytest

from catalog import api as catalog_api
from demo import catalog_seed as demo
from inventory import api as inventory_api
from kernel.tests.outboxes import event_count
from pricing import api as pricing_api


def test_the_demo_catalog_is_deterministic_and_big_enough():
    products = demo.demo_products()
    assert products == demo.demo_products()
    assert len(products) >= 200
    assert len({p.department for p in products}) == 10
    assert len({v.sku for p in products for v in p.variants}) > len(products)
    assert demo.picture(products[0]) == demo.picture(products[0])


@pytest.mark.django_db
def test_seeding_twice_changes_nothing_the_second_time(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo, "PRODUCTS_PER_CATEGORY", 2)
    assert demo.seed_catalog_prices_stock() == 20
    events = event_count()
    demo.seed_catalog_prices_stock()
    assert event_count() == events
    product = catalog_api.product_by_sku(sku="HT-0001")
    assert len(product.variants) == 3
    assert product.images[0].alt_text.endswith("front view")
    skus = list(product.variant_skus)
    assert set(pricing_api.prices_for(skus=skus, currency="GBP")) == set(skus)
    assert set(inventory_api.availability(skus=skus)) == set(skus)
