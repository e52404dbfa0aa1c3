"""End to end: orders placed at checkout move a demand-based pricing experiment.

Pricing counts units sold from orders' events (nothing in orders does
anything for it): once the relay has delivered enough placed orders, a
shopper in the demand arm sees the raised price; cancelling one brings it back.
"""

from decimal import Decimal

import pytest

from kernel import relay
from kernel.money import Money
from orders import services as order_services
from orders.models import Order
from orders.tests.factories import BERLIN
from pricing import api as pricing_api
from pricing.dtos import ExperimentSpec, QuoteContext, VariantSpec
from tests.builders import offer_product

ADDRESS = {f"ship-{name}": value for name, value in BERLIN.as_dict().items()}
SHOPPER = QuoteContext(visitor_id="f" * 32)


@pytest.fixture
def demand_experiment(db):
    offer_product(sku="TEA-1", title="Sencha", slug="sencha", price="10.00", stock=50)
    pricing_api.upsert_experiment(
        spec=ExperimentSpec(
            slug="tea-demand",
            name="Tea: dearer when in demand",
            category_slug="tea",
            variants=(
                VariantSpec(
                    key="demand", weight=1, rule="demand", percent=Decimal(10), demand_threshold=4
                ),
            ),
        ),
        running=True,
    )


def price_for_shopper() -> Money:
    return pricing_api.prices_for(skus=["TEA-1"], currency="EUR", context=SHOPPER)["TEA-1"].price


def check_out(client, quantity: int) -> None:
    client.post("/cart/add/", {"sku": "TEA-1", "quantity": str(quantity)})
    client.get("/checkout/")
    details = {**ADDRESS, "email": "g@example.com", "billing_same": "on"}
    assert client.post("/checkout/", {**details, "shipping_method": "standard"}).status_code == 302
    token = client.get("/checkout/review/").context["form"]["token"].value()
    assert "/pay/" in client.post("/checkout/place/", {"token": token})["Location"]


def test_orders_placed_raise_the_demand_arms_price_and_a_cancellation_lowers_it(
    demand_experiment, client
):
    assert price_for_shopper() == Money(Decimal("10.00"), "EUR")
    check_out(client, quantity=2)
    check_out(client, quantity=1)
    relay.relay(dispatch=relay.deliver_due)
    assert price_for_shopper() == Money(Decimal("10.00"), "EUR")  # 3 units: below 4
    check_out(client, quantity=1)
    assert price_for_shopper() == Money(Decimal("10.00"), "EUR")  # not relayed yet
    relay.relay(dispatch=relay.deliver_due)
    assert price_for_shopper() == Money(Decimal("11.00"), "EUR")
    first = Order.objects.order_by("pk").first()
    order_services.order_cancel(order_id=first.pk, actor="test", reason="Changed their mind")
    relay.relay(dispatch=relay.deliver_due)
    assert price_for_shopper() == Money(Decimal("10.00"), "EUR")
