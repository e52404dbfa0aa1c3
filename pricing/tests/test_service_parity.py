"""Pricing served out of process answers exactly as pricing in process, function by function.

The real service (pricing's internal URLs, ``commerce.urls_pricing``, on
a live server over loopback HTTP) and the real client (the stubs
``pricing.api`` becomes with ``PRICING_SERVICE_URL``): every function of
``pricing.api`` is called both ways with the same arguments, and the
results (DTOs, lists, dicts, ``None``) or the raised errors (class,
message, attributes) must be equal. ``CASES`` must name every function, so
a function added to the api cannot go untested here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kernel.remote import wire
from pricing import api
from pricing.dtos import (
    BasketLine,
    Customer,
    ExperimentSpec,
    InvalidQuantity,
    InvalidShipping,
    PromotionSpec,
    QuoteContext,
    Shopper,
    SkuPrice,
    TargetSpec,
    TierSpec,
    UnknownCurrency,
    UnknownSku,
    VariantSpec,
    VoucherRejected,
)
from pricing.models import Voucher, VoucherRedemption
from pricing.tests.conftest import eur, usd
from pricing.tests.remote import SECRET, remote_api

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("commerce.urls_pricing"),
    pytest.mark.usefixtures("shop", "offers"),
]

ALICE = Customer(customer_id=7, groups=("trade",))
TEA_LINES = (BasketLine("TEA-1", 2), BasketLine("TEA-2", 1), BasketLine("PAN-1", 1))
EXPERIMENT = ExperimentSpec(
    slug="tea-test",
    name="Tea: +5 %",
    category_slug="coffee-tea",
    variants=(
        VariantSpec(key="control", weight=1),
        VariantSpec(key="plus-5", weight=1, rule="percent", percent=Decimal(5)),
        VariantSpec(key="demand", weight=1, rule="demand", percent=Decimal(8), demand_threshold=3),
    ),
)


@pytest.fixture
def offers():
    """A promotion, a voucher, a trade price list, a running experiment, one claimed order."""
    api.upsert_promotion(
        spec=PromotionSpec(
            slug="tea-week",
            name="Tea week",
            reason="10 % off tea",
            kind="tiered",
            tiers=(TierSpec(min_quantity=2, percent=Decimal(10)),),
            targets=(TargetSpec(kind="category", value="coffee-tea"),),
        )
    )
    api.upsert_promotion(
        spec=PromotionSpec(
            slug="welcome",
            name="Welcome",
            reason="5 off",
            kind="fixed",
            scope="order",
            amount=eur("5.00"),
            requires_voucher=True,
        )
    )
    api.upsert_voucher(code="WELCOME", promotion_slug="welcome", min_order=eur("20.00"))
    api.upsert_price_list(
        name="Trade", customer_group="trade", prices=[SkuPrice("PAN-1", eur("40.00"))]
    )
    api.upsert_experiment(spec=EXPERIMENT, running=True)
    api.redeem_vouchers(
        codes=["WELCOME"], order_ref="CLAIMED", customer=ALICE, subtotal=eur("60.00")
    )


def quote_args(**overrides) -> dict:
    return {
        "lines": TEA_LINES,
        "currency": "EUR",
        "customer": ALICE,
        "voucher_codes": ["welcome"],
        "context": QuoteContext(country="DE", visitor_id="visitor-1"),
        "shipping": eur("4.90"),
        **overrides,
    }


#: Arguments for each function of ``pricing.api``; a function given by a
#: callable gets the side ("local" or "remote"), for calls whose effect
#: must not be shared by the two sides (a release gives back one order's uses).
CASES = {
    "shopper": {"customer_id": None, "visitor_id": "visitor-1"},
    "price_segment": {
        "shopper": Shopper(customer=ALICE, visitor_id="visitor-1"),
        "currency": "EUR",
    },
    "prices_for": {
        "skus": ["TEA-1", "PAN-1", "NOPE"],
        "currency": "EUR",
        "customer": ALICE,
        "context": QuoteContext(visitor_id="visitor-1"),
    },
    "current_promotions": {"limit": 3, "currency": "EUR"},
    "prices_hold_until": {},
    "offer_prices": {"skus": ["TEA-1", "TEA-2", "PAN-1"], "currency": "USD"},
    "quote": quote_args(),
    "with_shipping": {"quote": "goods quote", "shipping": eur("4.90")},
    "set_price": {"sku": "TEA-2", "price": usd("5.49"), "compare_at": usd("6.00")},
    "redeem_vouchers": {
        "codes": ("WELCOME",),
        "order_ref": "CLAIMED",
        "customer": ALICE,
        "subtotal": eur("60.00"),
    },
    "release_vouchers": lambda side: {"order_ref": f"NOTHING-CLAIMED-{side}"},
    "record_experiment_sales": {"order_ref": "ORDER-1", "quote": "quote"},
    "upsert_price_list": {
        "name": "Fair",
        "customer_group": "fair",
        "prices": (SkuPrice("TEA-1", eur("8.00")),),
        "valid_from": datetime(2026, 1, 1, tzinfo=UTC),
        "valid_until": datetime(2030, 1, 1, tzinfo=UTC),
    },
    "upsert_promotion": {
        "spec": PromotionSpec(
            slug="pans",
            name="Pans",
            reason="buy 2 get 1",
            kind="buy_x_get_y",
            buy_quantity=2,
            get_quantity=1,
            targets=(TargetSpec(kind="sku", value="PAN-1"),),
            ends_at=datetime(2030, 1, 1, tzinfo=UTC),
        )
    },
    "upsert_voucher": {
        "code": "TEN",
        "promotion_slug": "welcome",
        "usage_limit": 10,
        "per_customer_limit": 1,
        "valid_until": datetime(2030, 1, 1, tzinfo=UTC),
    },
    "ensure_voucher_batch": {"promotion_slug": "welcome", "batch": "mailing", "count": 3},
    "set_tax_mode": {"currency": "GBP", "prices_include_tax": True},
    "set_tax_rate": {"country": "GB", "tax_class": "standard", "rate": Decimal("0.20")},
    "set_tax_class": {"sku": "TEA-2", "tax_class": "reduced"},
    "upsert_experiment": {"spec": EXPERIMENT, "running": True},
    "running_experiments": {},
    "base_prices": {"skus": ["TEA-1", "PAN-1"]},
}

#: Refusals cross the wire as the same exception, message and attributes.
REFUSALS = [
    ("quote", quote_args(lines=[BasketLine("NOPE", 1)]), UnknownSku),
    ("quote", quote_args(voucher_codes=["WELCOME", "BOGUS"]), VoucherRejected),
    ("quote", quote_args(lines=[BasketLine("TEA-1", 0)]), InvalidQuantity),
    ("prices_for", {"skus": ["TEA-1"], "currency": "XYZ"}, UnknownCurrency),
    ("with_shipping", {"quote": "goods quote", "shipping": usd("4.90")}, InvalidShipping),
]


#: Placeholders for a quote just made: a whole tree of DTOs as the argument.
QUOTES = {
    "quote": lambda: api.quote(**quote_args()),
    "goods quote": lambda: api.quote(**quote_args(shipping=None)),  # shipping not added yet
}


@pytest.fixture
def service(live_server, settings):
    settings.PRICING_SERVICE_SECRET = SECRET
    with remote_api(live_server.url) as functions:
        yield functions


def arguments(name: str, side: str) -> dict:
    case = CASES[name]
    return with_quote(case(side) if callable(case) else case)


def with_quote(case: dict) -> dict:
    return {
        key: QUOTES[value]() if isinstance(value, str) and value in QUOTES else value
        for key, value in case.items()
    }


def test_every_api_function_has_a_case():
    assert set(CASES) == set(wire.published_functions(vars(api)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_service_answers_as_pricing_in_process(service, name):
    remote_result = service[name](**arguments(name, "remote"))
    local_result = getattr(api, name)(**arguments(name, "local"))
    assert remote_result == local_result
    assert type(remote_result) is type(local_result)


def test_the_service_writes_where_pricing_in_process_reads(service):
    service["set_price"](sku="PAN-1", price=eur("45.00"))
    assert api.prices_for(skus=["PAN-1"], currency="EUR")["PAN-1"].price == eur("45.00")
    assert service["release_vouchers"](order_ref="CLAIMED") == 1
    assert api.release_vouchers(order_ref="CLAIMED") == 0
    assert Voucher.objects.get(code="WELCOME").times_used == 0


def test_a_claim_made_remotely_is_the_one_returned_in_process(service):
    claims = service["redeem_vouchers"](
        codes=["welcome"], order_ref="ORDER-2", customer=ALICE, subtotal=eur("25.00")
    )
    assert claims == api.redeem_vouchers(
        codes=["WELCOME"], order_ref="ORDER-2", customer=ALICE, subtotal=eur("25.00")
    )
    assert VoucherRedemption.objects.filter(order_ref="ORDER-2").count() == 1


@pytest.mark.parametrize(("name", "args", "expected"), REFUSALS)
def test_refusals_are_raised_as_the_same_error(service, name, args, expected):
    args = with_quote(args)
    with pytest.raises(expected) as local:
        getattr(api, name)(**args)
    with pytest.raises(type(local.value)) as remote:
        service[name](**args)
    assert type(remote.value) is type(local.value)
    assert remote.value.args == local.value.args
    assert vars(remote.value) == vars(local.value)
    assert remote.value.field == local.value.field
