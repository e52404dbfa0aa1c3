"""A small shop with one of everything the back office shows, for admin tests.

Built through the contexts' apis (and orders' test factory for the order,
as checkout would hand it over), so every projection, history row and
outbox event exists as in production: catalog with variants, prices in two
currencies with a compare-at price, a price list, stock in two warehouses,
a voucher promotion, a running experiment with a sale, and an order placed
with a voucher discount. Events are delivered as the relay would.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from inventory import api as inventory_api
from kernel import relay
from kernel.money import Money
from pricing import api as pricing_api
from pricing.dtos import (
    BasketLine,
    ExperimentSpec,
    PromotionSpec,
    QuoteContext,
    SkuPrice,
    VariantSpec,
)
from tests.builders import build_structure, sweater, upsert


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def fixture_shop():
    """The shop; returns the order placed in it."""
    from orders.tests.factories import line, place

    build_structure()
    upsert(sweater())
    deliver_events()  # pricing learns the sweaters' category (experiment targeting)
    for size, amount in (("S", "18.99"), ("M", "19.99"), ("L", "20.99")):
        sku = f"SW-1-{size}"
        pricing_api.set_price(sku=sku, price=eur(amount), compare_at=eur("29.99"))
        pricing_api.set_price(sku=sku, price=Money(Decimal(2900), "JPY"))
    pricing_api.upsert_price_list(
        name="Staff", customer_group="staff", prices=[SkuPrice("SW-1-S", eur("15.50"))]
    )
    inventory_api.upsert_warehouse(code="MAIN", name="Main", country="DE", priority=1)
    inventory_api.upsert_warehouse(code="EAST", name="East", country="PL", priority=2)
    inventory_api.receive(warehouse_code="MAIN", sku="SW-1-S", quantity=7)
    inventory_api.receive(warehouse_code="EAST", sku="SW-1-S", quantity=2)
    inventory_api.receive(warehouse_code="MAIN", sku="SW-1-M", quantity=1)
    pricing_api.upsert_promotion(
        spec=PromotionSpec(
            slug="five-off",
            name="Five off",
            reason="5 EUR off",
            kind="fixed",
            scope="order",
            amount=eur("5"),
            requires_voucher=True,
        )
    )
    pricing_api.upsert_voucher(code="LASTONE", promotion_slug="five-off", usage_limit=1)
    pricing_api.upsert_experiment(
        spec=ExperimentSpec(
            slug="sweaters",
            name="Sweaters",
            category_slug="clothing",
            variants=(
                VariantSpec("control", 1),
                VariantSpec("plus-7", 1, rule="percent", percent=Decimal("7.3")),
            ),
        ),
        running=True,
    )
    for visitor in range(4):
        quote = pricing_api.quote(
            lines=[BasketLine("SW-1-M", 3)],
            currency="EUR",
            context=QuoteContext(visitor_id=f"visitor-{visitor}"),
        )
        pricing_api.record_experiment_sales(order_ref=f"EXP-{visitor}", quote=quote)
    order = place(
        line("SW-1-S", quantity=1, unit="18.99"), discount="5", voucher_codes=("LASTONE",)
    )
    deliver_events()
    return order


def deliver_events() -> None:
    """What the relay would do after commit: every event to every subscriber, now."""
    relay.relay(dispatch=relay.deliver_due)


def order_placed_days_ago(days: int, *, sku: str = "SW-1-L", unit: str = "20.99"):
    """One more order of one unit, dated ``days`` back (history for reports)."""
    from django.utils import timezone

    from orders.models import Order
    from orders.tests.factories import line, place

    order = place(line(sku, quantity=1, unit=unit))
    Order.objects.filter(pk=order.pk).update(placed_at=timezone.now() - timedelta(days=days))
    return order
