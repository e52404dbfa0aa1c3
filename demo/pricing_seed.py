"""Demo pricing on top of the demo catalog: tax, price lists, offers, vouchers, an experiment.

Everything goes in through ``pricing.api`` (idempotent writes), derived from
the base prices the catalog demo set, so a second run changes nothing.
What to try in the shop is listed in docs/pricing.md ("The demo").
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from kernel.money import Money
from pricing import api as pricing_api
from pricing.dtos import (
    ExperimentSpec,
    PromotionSpec,
    SkuPrice,
    TargetSpec,
    TierSpec,
    VariantSpec,
)

CURRENCIES = ("EUR", "USD", "GBP")

#: (country, tax class): rate. EUR and GBP prices include tax, USD prices do not.
TAX_RATES = {
    ("DE", "standard"): "0.19", ("DE", "reduced"): "0.07",
    ("FR", "standard"): "0.20", ("FR", "reduced"): "0.055",
    ("NL", "standard"): "0.21", ("NL", "reduced"): "0.09",
    ("GB", "standard"): "0.20", ("GB", "reduced"): "0",
    ("US", "standard"): "0.0725", ("US", "reduced"): "0",
}  # fmt: skip

#: SKU prefixes (see demo.py) in the reduced tax class: food and books.
REDUCED_PREFIXES = ("CT", "BK")

PROMOTIONS = [
    PromotionSpec(
        slug="coffee-tea-week", name="Coffee & tea week", reason="10 % off all coffee & tea",
        kind="percentage", percent=Decimal(10), targets=(TargetSpec("category", "coffee-tea"),),
        priority=10,
    ),
    PromotionSpec(
        slug="books-3-for-2", name="Books 3 for 2", reason="Books: buy 2, get 1 free",
        kind="buy_x_get_y", buy_quantity=2, get_quantity=1,
        targets=(TargetSpec("category", "books"),), priority=20, exclusive=True,
    ),
    PromotionSpec(
        slug="stationery-volume", name="Stationery volume discount",
        reason="Stationery: 5 % off from 3 items, 10 % from 10", kind="tiered",
        tiers=(TierSpec(3, Decimal(5)), TierSpec(10, Decimal(10))),
        targets=(TargetSpec("category", "stationery"),),
    ),
    PromotionSpec(
        slug="audio-flash", name="Audio flash sale", reason="Flash sale: EUR 20 off",
        kind="fixed", amount=Money(Decimal(20), "EUR"), targets=(TargetSpec("product", "AU-0001"),),
        priority=50, exclusive=True,
    ),
    PromotionSpec(
        slug="welcome", name="Welcome voucher", reason="Welcome: 10 % off your first order",
        kind="percentage", scope="order", percent=Decimal(10), requires_voucher=True,
    ),
    PromotionSpec(
        slug="summer", name="Summer voucher", reason="Summer: EUR 5 off", kind="fixed",
        scope="order", amount=Money(Decimal(5), "EUR"), requires_voucher=True,
    ),
    PromotionSpec(
        slug="newsletter", name="Newsletter codes", reason="Newsletter: 15 % off your order",
        kind="percentage", scope="order", percent=Decimal(15), requires_voucher=True,
    ),
]  # fmt: skip

GARDEN_EXPERIMENT = ExperimentSpec(
    slug="garden-demand-2026",
    name="Garden: +5 % and demand-based pricing",
    category_slug="garden",
    variants=(
        VariantSpec(key="control", weight=50),
        VariantSpec(key="plus-5", weight=25, rule="percent", percent=Decimal(5)),
        VariantSpec(
            key="demand", weight=25, rule="demand", percent=Decimal(8), demand_threshold=15
        ),
    ),
)


def _skus(prefix: str, count: int = 24) -> list[str]:
    return [f"{prefix}-{n:04d}" for n in range(1, count + 1)]


def _scaled(price: Money, factor: str) -> Money:
    return (price * Decimal(factor)).rounded()


def seed_pricing() -> None:
    """Create or update the demo pricing (idempotent); call after the catalog demo."""
    for currency in CURRENCIES:
        pricing_api.set_tax_mode(currency=currency, prices_include_tax=currency != "USD")
    for (country, tax_class), rate in TAX_RATES.items():
        pricing_api.set_tax_rate(country=country, tax_class=tax_class, rate=Decimal(rate))
    for prefix in REDUCED_PREFIXES:
        for sku in _skus(prefix):
            pricing_api.set_tax_class(sku=sku, tax_class="reduced")

    for currency in CURRENCIES:
        # A few kitchen products on sale: shown with a struck-through "was" price.
        for sku, unit in pricing_api.prices_for(skus=_skus("KI", 6), currency=currency).items():
            if unit.compare_at is None:
                pricing_api.set_price(
                    sku=sku, price=unit.price, compare_at=_scaled(unit.price, "1.25")
                )

    trade = pricing_api.prices_for(skus=_skus("KI") + _skus("HT"), currency="EUR")
    pricing_api.upsert_price_list(
        name="Wholesale",
        customer_group="wholesale",
        prices=[SkuPrice(sku, _scaled(unit.price, "0.85")) for sku, unit in sorted(trade.items())],
    )
    fair = pricing_api.prices_for(skus=_skus("OD"), currency="EUR")
    pricing_api.upsert_price_list(
        name="Outdoor trade fair 2027",
        customer_group="wholesale",
        valid_from=datetime(2027, 3, 1, tzinfo=UTC),
        valid_until=datetime(2027, 3, 8, tzinfo=UTC),
        prices=[SkuPrice(sku, _scaled(unit.price, "0.75")) for sku, unit in sorted(fair.items())],
    )

    for spec in PROMOTIONS:
        pricing_api.upsert_promotion(spec=spec)
    pricing_api.upsert_voucher(
        code="WELCOME10",
        promotion_slug="welcome",
        per_customer_limit=1,
        min_order=Money(Decimal(30), "EUR"),
    )
    pricing_api.upsert_voucher(
        code="SUMMER5", promotion_slug="summer", valid_until=datetime(2026, 10, 1, tzinfo=UTC)
    )
    pricing_api.upsert_voucher(code="LASTONE", promotion_slug="summer", usage_limit=1)
    pricing_api.ensure_voucher_batch(
        promotion_slug="newsletter", batch="newsletter-2026", count=20, prefix="NEWS-"
    )

    # The demand arm reacts to orders placed in the last week (pricing counts
    # them from orders' events), so it shows base +8 % once demo orders exist.
    pricing_api.upsert_experiment(spec=GARDEN_EXPERIMENT, running=True)
