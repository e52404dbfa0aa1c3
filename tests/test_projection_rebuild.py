"""Rebuilding the catalog's price/stock search projection by re-announcing.

The catalog sits below pricing and inventory and may have its own
database, so it cannot ask them: ``announce_prices`` and
``announce_stock`` publish their current state again as their normal
events, and the catalog's idempotent subscribers (newest ``changed_at``
wins) rebuild the projection once the relay delivers them
(docs/decisions/0002-projections-rebuilt-by-re-announcing.md).
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from inventory.events import StockChanged
from kernel import eventcodec, relay
from kernel.money import Money
from kernel.outbox import published
from kernel.tests.outboxes import clear_outboxes
from pricing import api as pricing_api
from pricing.events import PriceChanged
from tests.builders import build_structure, priced, product, upsert

pytestmark = pytest.mark.django_db


def relay_now() -> None:
    """What happens after commit (tests run inside one transaction that never commits)."""
    relay.relay(dispatch=relay.deliver_due)


def test_the_projection_is_rebuilt_once_pricing_and_inventory_re_announce(client):
    build_structure()
    upsert(product("A-1", "Alpha", category="kitchen"), product("B-1", "Beta", category="kitchen"))
    priced("A-1", "20.00", quantity=0)
    priced("B-1", "5.00")
    clear_outboxes()  # sent before the catalog subscribed: never delivered
    relay_now()
    assert "No products match" in client.get("/c/kitchen/?in_stock=1").content.decode()
    call_command("announce_prices", "--currency", "EUR", stdout=io.StringIO())
    call_command("announce_stock", stdout=io.StringIO())
    assert "No products match" in client.get("/c/kitchen/?in_stock=1").content.decode()
    relay_now()
    page = client.get("/c/kitchen/?in_stock=1&sort=price_desc").content.decode()
    assert "Beta" in page
    assert "Alpha" not in page


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
