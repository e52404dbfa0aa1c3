"""The context's copy of the shop follows the catalog's, pricing's, inventory's and
orders' events as the relay delivers them, and a repeated delivery changes nothing."""

from datetime import UTC, datetime
from decimal import Decimal

from catalog import api as catalog_api
from catalog.dtos import AttributeSpec, AttributeText, ProductInput
from inventory import api as inventory_api
from kernel import relay
from kernel.money import Money
from kernel.outbox import publish, published
from kernel.subscribers import get_subscriber
from orders.events import EventLine, OrderCancelled, OrderPlaced
from pricing import api as pricing_api
from recommendations import api
from recommendations.dtos import Reason
from recommendations.models import CoPurchase, ProductProfile, ProductTag


def relay_all() -> None:
    relay.relay(dispatch=relay.deliver_due)


def shop_with_two_teas() -> dict[str, int]:
    catalog_api.upsert_category(slug="tea", name="Tea")
    catalog_api.upsert_product_type(
        slug="leaf-tea",
        name="Leaf tea",
        attributes=[
            AttributeSpec(code="leaf", name="Leaf", kind="choice", choices=("Green", "Black"))
        ],
    )
    report = catalog_api.upsert_products(
        products=[
            ProductInput(
                sku=sku,
                title=sku.title(),
                category="tea",
                brand="Leafy",
                product_type="leaf-tea",
                attributes=(AttributeText("leaf", "Green"),),
            )
            for sku in ("SENCHA", "MATCHA")
        ]
    )
    assert not report.errors
    for sku in ("SENCHA", "MATCHA"):
        pricing_api.set_price(sku=sku, price=Money(Decimal("12.00"), "EUR"))
        inventory_api.set_stock(sku=sku, quantity=10)
    relay_all()
    return {sku: catalog_api.product_by_sku(sku=sku).id for sku in ("SENCHA", "MATCHA")}


def placed(number: str, *skus: str) -> OrderPlaced:
    return OrderPlaced(
        order_number=number,
        customer_id=None,
        email="shopper@example.com",
        currency="EUR",
        grand_total=Decimal("24.00"),
        lines=tuple(EventLine(sku=sku, quantity=1) for sku in skus),
        placed_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


def test_catalog_price_and_stock_events_make_the_products_copy(db):
    ids = shop_with_two_teas()
    profile = ProductProfile.objects.get(pk=ids["SENCHA"])
    assert (profile.sku, profile.status) == ("SENCHA", ProductProfile.Status.PUBLISHED)
    tags = set(ProductTag.objects.filter(product_id=ids["SENCHA"]).values_list("tag", flat=True))
    assert {"cat:tea", "brand:leafy", "attr:leaf=Green"} <= tags
    assert any(tag.startswith("band:") for tag in tags)
    row = api.for_product(product_id=ids["SENCHA"]).items
    assert [(i.sku, i.reason) for i in row] == [("MATCHA", Reason.SIMILAR)]
    inventory_api.set_stock(sku="MATCHA", quantity=0)
    relay_all()
    assert api.for_product(product_id=ids["SENCHA"]).items == ()


def test_orders_events_count_once_however_often_delivered(db, settings):
    settings.RECOMMENDATIONS_MIN_SUPPORT = 1
    ids = shop_with_two_teas()
    publish(placed("ORD-1", "SENCHA", "MATCHA", "SENCHA"))
    relay_all()
    event = published(OrderPlaced.event_type).get()
    subscriber = get_subscriber("recommendations.copurchase.order_placed")
    assert relay.handle_once(subscriber, [event]) == []  # the inbox remembers it
    pair = CoPurchase.objects.get(product_id=ids["SENCHA"], other_id=ids["MATCHA"])
    assert pair.orders == 1
    row = api.for_product(product_id=ids["SENCHA"]).items
    assert [(i.sku, i.reason) for i in row] == [("MATCHA", Reason.BOUGHT_TOGETHER)]
    publish(OrderCancelled(order_number="ORD-1", reason="customer", lines=()))
    relay_all()
    assert not CoPurchase.objects.filter(orders__gt=0).exists()


def test_a_batch_of_prices_and_stock_keeps_the_newest_of_each_sku(db):
    from inventory.events import StockChanged
    from pricing.events import PriceChanged
    from recommendations import handlers
    from recommendations.models import SkuState

    def at(second: int) -> datetime:
        return datetime(2026, 11, 1, 12, 0, second, tzinfo=UTC)

    handlers.on_prices_changed(
        [
            PriceChanged("A", "EUR", None, Decimal("5.00"), at(2)),
            PriceChanged("A", "USD", None, Decimal("7.00"), at(3)),  # not the shop's currency
            PriceChanged("B", "EUR", None, Decimal("3.00"), at(1)),
            PriceChanged("A", "EUR", None, Decimal("4.00"), at(1)),  # older, later in the batch
        ]
    )
    handlers.on_stocks_changed([StockChanged("A", 2, at(5)), StockChanged("A", 9, at(4))])
    handlers.on_prices_changed([PriceChanged("B", "EUR", None, Decimal("1.00"), at(0))])  # late

    assert {row.sku: (row.price, row.quantity) for row in SkuState.objects.all()} == {
        "A": (Decimal("5.00"), 2),
        "B": (Decimal("3.00"), None),
    }


def test_a_batch_of_product_events_costs_the_statements_of_one(db):
    """Each product is read and written once per batch, however many events name it."""
    from django.test.utils import CaptureQueriesContext

    from catalog.events import ProductChanged
    from kernel import eventcodec
    from kernel.databases import connection_of
    from recommendations import handlers

    shop_with_two_teas()
    relay_all()
    events = [
        eventcodec.decode(ProductChanged, row.payload)
        for row in published(ProductChanged.event_type)
    ]
    assert len(events) == 2

    with (
        CaptureQueriesContext(connection_of("catalog")) as one_read,
        CaptureQueriesContext(connection_of("recommendations")) as one_write,
    ):
        handlers.on_products_changed(events[:1])
    with (
        CaptureQueriesContext(connection_of("catalog")) as reads,
        CaptureQueriesContext(connection_of("recommendations")) as writes,
    ):
        handlers.on_products_changed(events + events)

    assert (len(reads), len(writes)) == (len(one_read), len(one_write))
    assert ProductProfile.objects.count() == 2
