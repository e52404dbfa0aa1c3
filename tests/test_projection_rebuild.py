"""Rebuilding every projection by having its source re-announce its state.

A context that keeps a copy of another's data cannot ask for it (layers,
and in split mode another database): its source publishes its current
state again (``announce_*`` commands), and the copy's idempotent
subscribers rebuild from the events once the relay delivers them
(docs/decisions/0002-projections-rebuilt-by-re-announcing.md,
docs/operations.md "Rebuilding a projection"). Each test loses the events
a copy was built from, re-announces, and announces a second time to show
that changes nothing more.
"""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from catalog import api as catalog_api
from catalog.dtos import ListingQuery
from inventory.events import StockChanged
from kernel import eventcodec, relay
from kernel.money import Money
from kernel.outbox import published
from kernel.tests.outboxes import clear_outboxes
from orders import services as order_services
from orders.tests.factories import line, place
from pricing import api as pricing_api
from pricing.events import PriceChanged
from pricing.experiments import units_sold
from pricing.models import SkuPlacement
from recommendations.models import CoPurchase, ProductProfile, SkuState
from reviews.tests.factories import deliver, make_customer, write
from tests.builders import build_structure, priced, product, sweater, upsert

pytestmark = pytest.mark.django_db


def relay_now() -> None:
    """What happens after commit (tests run inside one transaction that never commits)."""
    relay.relay(dispatch=relay.deliver_due)


def announce(*commands: tuple[str, ...], relayed: bool = True) -> None:
    """Run the announce commands, then (as after their commits) the relay."""
    for command in commands:
        call_command(*command, stdout=io.StringIO())
    if relayed:
        relay_now()


def test_the_projection_is_rebuilt_once_pricing_and_inventory_re_announce(client):
    build_structure()
    upsert(product("A-1", "Alpha", category="kitchen"), product("B-1", "Beta", category="kitchen"))
    priced("A-1", "20.00", quantity=0)
    priced("B-1", "5.00")
    clear_outboxes()  # sent before the catalog subscribed: never delivered
    relay_now()
    assert "No products match" in client.get("/c/kitchen/?in_stock=1").content.decode()
    search = (("announce_prices", "--currency", "EUR"), ("announce_stock",))
    announce(*search, relayed=False)
    assert "No products match" in client.get("/c/kitchen/?in_stock=1").content.decode()
    relay_now()
    rebuilt = client.get("/c/kitchen/?in_stock=1&sort=price_desc").content.decode()
    assert "Beta" in rebuilt
    assert "Alpha" not in rebuilt
    announce(*search)
    assert client.get("/c/kitchen/?in_stock=1&sort=price_desc").content.decode() == rebuilt


def test_each_command_announces_what_is_current_once_per_price_or_sku():
    build_structure()
    upsert(product("A-1", "Alpha", category="kitchen"), product("B-1", "Beta", category="kitchen"))
    priced("A-1", "20.00", quantity=3)
    priced("B-1", "5.00", quantity=0)
    pricing_api.set_price(sku="A-1", price=Money(Decimal("22.00"), "USD"))
    pricing_api.set_price(sku="A-1", price=Money(Decimal("21.00"), "EUR"))  # the current one
    clear_outboxes()
    call_command("announce_prices", "--currency", "EUR", stdout=io.StringIO())
    call_command("announce_stock", stdout=io.StringIO())
    prices = [
        eventcodec.decode(PriceChanged, row.payload)
        for row in published(PriceChanged.event_type).order_by("pk")
    ]
    stock = [
        eventcodec.decode(StockChanged, row.payload)
        for row in published(StockChanged.event_type).order_by("pk")
    ]
    assert [(e.sku, e.currency, e.new_amount) for e in prices] == [
        ("A-1", "EUR", Decimal("21.00")),
        ("B-1", "EUR", Decimal("5.00")),
    ]
    assert sorted((e.sku, e.quantity) for e in stock) == [("A-1", 3), ("B-1", 0)]


def listed_ratings() -> dict[str, tuple]:
    return {
        item.sku: (item.rating_average, item.rating_count)
        for item in catalog_api.listing(query=ListingQuery(category="kitchen")).page.items
    }


def test_ratings_on_listings_are_rebuilt_once_reviews_re_announce():
    build_structure()
    upsert(product("A-1", "Alpha", category="kitchen"), product("B-1", "Beta", category="kitchen"))
    alpha = catalog_api.products_by_sku(skus=["A-1"])["A-1"].id
    for name, stars in (("ann", 5), ("bob", 2)):
        shopper = make_customer(name)
        deliver(shopper, "A-1")
        write(shopper, alpha, rating=stars)
    clear_outboxes()  # the catalog's database was restored from before the reviews
    relay_now()
    assert listed_ratings() == {"A-1": (None, 0), "B-1": (None, 0)}
    announce(("announce_ratings",))
    assert listed_ratings() == {"A-1": (Decimal("3.50"), 2), "B-1": (None, 0)}
    announce(("announce_ratings",))
    assert listed_ratings() == {"A-1": (Decimal("3.50"), 2), "B-1": (None, 0)}


def copies_of_the_catalog() -> dict:
    """What recommendations and pricing keep of the catalog's products."""
    return {
        "profiles": sorted(ProductProfile.objects.values_list("sku", "title", "status")),
        "skus": sorted(SkuState.objects.values_list("sku", "product_id")),
        "placements": sorted(SkuPlacement.objects.values_list("sku", "category_slugs")),
    }


def test_copies_of_the_catalog_are_rebuilt_once_it_re_announces_its_products():
    build_structure()
    upsert(product("A-1", "Alpha", category="kitchen"), sweater())
    clear_outboxes()  # recommendations and pricing were added after the catalog was filled
    relay_now()
    assert copies_of_the_catalog() == {"profiles": [], "skus": [], "placements": []}
    announce(("announce_products",))
    rebuilt = copies_of_the_catalog()
    assert [sku for sku, _, _ in rebuilt["profiles"]] == ["A-1", "SW-1"]
    assert [sku for sku, _ in rebuilt["placements"]] == ["A-1", "SW-1-L", "SW-1-M", "SW-1-S"]
    announce(("announce_products",))
    assert copies_of_the_catalog() == rebuilt


def copies_of_the_orders() -> dict:
    """What pricing (demand) and recommendations (bought together) keep of orders."""
    return {
        "demand": units_sold(skus=["A-1", "B-1", "C-1"]),
        "pairs": sorted(CoPurchase.objects.values_list("product_id", "other_id", "orders")),
    }


def test_demand_and_baskets_are_rebuilt_once_orders_re_announce_without_e_mails():
    build_structure()
    upsert(*(product(sku, sku, category="kitchen") for sku in ("A-1", "B-1", "C-1")))
    relay_now()  # recommendations knows the products
    ids = {sku: s.id for sku, s in catalog_api.products_by_sku(skus=["A-1", "B-1"]).items()}
    place(line("A-1", quantity=2), line("B-1", quantity=1))
    cancelled = place(line("A-1", quantity=1), line("C-1", quantity=4))
    order_services.order_cancel(order_id=cancelled.pk, actor="test", reason="Changed my mind.")
    clear_outboxes()  # pricing's and recommendations' databases restored from before
    relay_now()
    mail.outbox.clear()
    assert copies_of_the_orders() == {"demand": {}, "pairs": []}
    announce(("announce_orders",))
    rebuilt = copies_of_the_orders()
    assert rebuilt == {
        "demand": {"A-1": 2, "B-1": 1},  # the cancelled order counts for nothing
        "pairs": sorted([(ids["A-1"], ids["B-1"], 1), (ids["B-1"], ids["A-1"], 1)]),
    }
    announce(("announce_orders",), ("announce_orders", "--since", "2000-01-01"))
    assert copies_of_the_orders() == rebuilt
    assert mail.outbox == []  # nobody is told again of an order placed long ago


def test_announcing_orders_since_a_time_leaves_older_ones_out():
    place(line("A-1"))
    out = io.StringIO()
    call_command("announce_orders", "--since", "2999-01-01T00:00:00", stdout=out)
    assert out.getvalue().startswith("Announced 0 orders")
    call_command("announce_orders", stdout=out)
    assert "Announced 1 orders" in out.getvalue()
