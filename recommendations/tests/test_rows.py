"""What a row holds: only buyable products, similar ones filling a thin history,
staff pins and blocks, the visitor's recent views, a cart's suggestions; and
every row costs the same few queries however many products it holds."""

from recommendations import api
from recommendations.dtos import Reason
from recommendations.models import Override, RecentView
from recommendations.services import profiles
from recommendations.tests.conftest import order, shelve, sku, tick


def ids(row) -> list[int]:
    return [item.product_id for item in row]


def test_a_product_nobody_ordered_still_gets_a_full_row_of_similar_products(shop):
    row = api.for_product(product_id=1).items
    assert len(row) == 8
    assert {item.reason for item in row} == {Reason.SIMILAR}
    assert 1 not in ids(row)
    assert set(ids(row)) <= set(range(2, 11))  # the other teas before the pans


def test_similar_products_share_the_most_category_brand_attributes_and_price(db, settings):
    settings.RECOMMENDATIONS_MIN_SUPPORT = 1
    shelve(1, brand="acme", attributes=(("leaf", "green"),), price="10.00")
    shelve(2, brand="acme", attributes=(("leaf", "green"),), price="11.00")  # all shared
    shelve(3, brand="acme", price="10.50")  # brand and price
    shelve(4, price="10.00")  # category and price
    shelve(5, price="90.00")  # category only
    shelve(6, category="pans", brand="acme", attributes=(("leaf", "green"),), price="500")
    assert ids(api.for_product(product_id=1).items) == [2, 3, 4, 5, 6]


def test_archived_hidden_and_sold_out_products_are_never_suggested(shop):
    for partner in (2, 3, 4, 5):
        order(1, partner)
        order(1, partner)
    shelve(3, stock=0)
    shelve(4, status="archived")
    shelve(5, status="draft")
    profiles.profile_refresh(product_id=2, product=None)  # deleted from the catalog
    row = ids(api.for_product(product_id=1).items)
    assert not {2, 3, 4, 5} & set(row)
    shelve(3, stock=4)
    assert 3 in ids(api.for_product(product_id=1).items)


def test_stock_and_price_events_arriving_late_are_ignored(shop):
    newer, older = tick(), tick()
    profiles.stock_record(sku=sku(2), quantity=0, changed_at=older)
    profiles.stock_record(sku=sku(2), quantity=9, changed_at=newer)
    assert 2 not in ids(api.for_product(product_id=1).items)


def test_staff_pins_come_first_and_blocks_never_show(shop):
    order(1, 5)
    order(1, 5)
    Override.objects.create(product_id=1, target_id=12, action=Override.Action.PIN, position=2)
    Override.objects.create(product_id=1, target_id=11, action=Override.Action.PIN, position=1)
    Override.objects.create(product_id=1, target_id=5, action=Override.Action.BLOCK)
    Override.objects.create(product_id=1, target_id=2, action=Override.Action.BLOCK)
    row = api.for_product(product_id=1).items
    assert [(i.product_id, i.reason) for i in row[:2]] == [(11, Reason.PINNED), (12, Reason.PINNED)]
    assert not {5, 2} & set(ids(row))
    assert len(row) == 8


def test_a_pinned_product_that_sold_out_is_left_out(shop):
    Override.objects.create(product_id=1, target_id=11, action=Override.Action.PIN)
    shelve(11, category="pans", stock=0)
    assert 11 not in ids(api.for_product(product_id=1).items)


def test_recently_viewed_is_the_visitors_own_newest_first_and_bounded(shop, settings):
    settings.RECOMMENDATIONS_RECENTLY_VIEWED = 3
    visitor, other = "a" * 32, "b" * 32
    for product_id in (2, 3, 4, 5):
        api.for_product(product_id=product_id, visitor_id=visitor)
    api.for_product(product_id=9, visitor_id=other)
    seen = api.for_product(product_id=6, visitor_id=visitor).recently_viewed
    assert ids(seen) == [5, 4]  # 6 is the page itself; 2 and 3 fell off
    assert {item.reason for item in seen} == {Reason.RECENTLY_VIEWED}
    assert RecentView.objects.filter(visitor_id=visitor).count() == 3
    assert ids(api.for_product(product_id=5, visitor_id=visitor).recently_viewed) == [6, 4]
    assert api.for_product(product_id=5).recently_viewed == ()


def test_a_cart_gets_what_its_products_were_bought_with_never_what_it_holds(shop):
    order(1, 5)
    order(1, 5)
    order(2, 5, 6)
    order(2, 6)
    row = api.for_cart(skus=[sku(1), sku(2), "NOT-A-SKU"]).items
    assert ids(row)[:2] == [5, 6]
    assert [i.reason for i in row[:2]] == [Reason.BOUGHT_TOGETHER] * 2
    assert not {1, 2} & set(ids(row))
    assert len(row) == 8
    assert api.for_cart(skus=[]).items == ()


def test_a_row_costs_the_same_queries_for_one_product_or_many(shop, django_assert_max_num_queries):
    visitor = "c" * 32
    for product_id in (1, 11):
        Override.objects.create(product_id=product_id, target_id=12, action=Override.Action.PIN)
    for product_id in range(2, 11):
        api.for_product(product_id=product_id, visitor_id=visitor)
    # Record the view and trim the visitor's views (2, and the savepoint around
    # them: 2 in a test's transaction), overrides, pins, bought together,
    # similar, recent views, SKUs (6).
    most = 10
    with django_assert_max_num_queries(most):
        assert len(api.for_product(product_id=11, visitor_id=visitor, limit=1).items) == 1
    for partner in range(2, 9):
        order(1, partner)
        order(1, partner)
    with django_assert_max_num_queries(most):
        result = api.for_product(product_id=1, visitor_id=visitor)
    assert len(result.items) == 8
    assert len(result.recently_viewed) == 7
    with django_assert_max_num_queries(5):
        assert len(api.for_cart(skus=[sku(p) for p in range(1, 6)]).items) == 7
