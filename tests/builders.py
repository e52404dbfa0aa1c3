"""Building products for tests, the one module every test that needs them uses.

Everything goes through the catalog's public interface (``catalog.api``
and ``catalog.dtos``), so events flow as in production and any context's
tests may use it: ``tests`` is not a context, and the import contracts
leave it out. ``offer_product`` also prices and stocks a product through
pricing's and inventory's apis.
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from django.db import connections, transaction

from catalog import api as catalog_api
from catalog.dtos import (
    AttributeSpec,
    AttributeText,
    OptionChoice,
    ProductInput,
    UpsertReport,
    VariantInput,
)
from inventory import api as inventory_api
from kernel.databases import atomic
from kernel.money import Money
from kernel.outbox import publish
from orders.events import EventLine, OrderPlaced
from pricing import api as pricing_api
from pricing.dtos import PromotionSpec


def build_structure() -> None:
    """kitchen > pans, clothing and gifts; an apparel type with typed attributes and options."""
    catalog_api.upsert_category(slug="kitchen", name="Kitchen")
    catalog_api.upsert_category(slug="pans", name="Pans", parent_slug="kitchen")
    catalog_api.upsert_category(slug="clothing", name="Clothing")
    catalog_api.upsert_category(slug="gifts", name="Gifts")
    catalog_api.upsert_product_type(
        slug="apparel",
        name="Apparel",
        attributes=[
            AttributeSpec(code="material", name="Material", kind="choice",
                          choices=("Wool", "Cotton", "Linen")),
            AttributeSpec(code="weight", name="Weight", kind="number"),
            AttributeSpec(code="organic", name="Organic", kind="boolean"),
            AttributeSpec(code="care", name="Care", kind="text"),
            AttributeSpec(code="size", name="Size", kind="choice", is_variant_option=True,
                          choices=("S", "M", "L")),
            AttributeSpec(code="colour", name="Colour", kind="choice", is_variant_option=True,
                          choices=("Red", "Blue")),
        ],
    )  # fmt: skip


def attrs(**values: str) -> tuple[AttributeText, ...]:
    """``attrs(material="Wool")``: a product's attributes as an importer gives them."""
    return tuple(AttributeText(code=code, value=value) for code, value in values.items())


def opts(**values: str) -> tuple[OptionChoice, ...]:
    """``opts(size="M")``: a variant's options."""
    return tuple(OptionChoice(code=code, value=value) for code, value in values.items())


def product(sku: str, title: str, **fields) -> ProductInput:
    return ProductInput(sku=sku, title=title, **fields)


def sweater(sku: str = "SW-1", title: str = "Wool Sweater", **fields) -> ProductInput:
    """A wool sweater in clothing (and gifts) with variants S, M and L, all red."""
    defaults = {
        "category": "clothing",
        "secondary_categories": ("gifts",),
        "brand": "Northwool",
        "product_type": "apparel",
        "description": "A warm jumper for cold days.",
        "attributes": attrs(material="Wool", weight="450", organic="yes"),
        "variants": tuple(
            VariantInput(sku=f"{sku}-{size}", options=opts(size=size, colour="Red"))
            for size in ("S", "M", "L")
        ),
    }
    return ProductInput(sku=sku, title=title, **{**defaults, **fields})


def upsert(*inputs: ProductInput, **options) -> UpsertReport:
    """Upsert ``inputs``; without options (dry run, skip invalid) they must all be valid."""
    report = catalog_api.upsert_products(products=list(inputs), **options)
    assert options or not report.errors, report.errors
    return report


def simple_product(
    *, sku: str, title: str = "", slug: str = "", category: str | None = None
) -> None:
    """A published product without options (its one variant's SKU is its code)."""
    upsert(product(sku, title or f"Product {sku}", slug=slug or sku.lower(), category=category))


@contextmanager
def built_together() -> Iterator[None]:
    """Inside, a shop's writes commit in one transaction per database, and their events are
    relayed once, in batches, when it ends.

    In a transactional test (a live server's) every write commits by itself,
    and the relay, eager in tests, delivers its events there and then: a shop
    of 30 products was relayed 600 times, 10 s of a browser test's set-up on
    PostgreSQL, 4 s in one go. Each database's transaction is its own (split
    mode: none spans two), as the relay's deliveries are.
    """
    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(transaction.atomic(using=alias))
        yield


def offer_product(
    *,
    sku: str,
    title: str,
    slug: str,
    price: str,
    stock: int,
    category: str = "tea",
    description: str = "",
) -> None:
    """A product in its own category, priced in EUR and in stock: ready to be bought."""
    catalog_api.upsert_category(slug=category, name=category.title())
    upsert(product(sku, title, slug=slug, description=description, category=category))
    priced(sku, price, quantity=stock)


def priced(sku: str, amount: str, quantity: int = 5) -> None:
    """Put a SKU on sale: a base price in EUR and ``quantity`` units on hand."""
    pricing_api.set_price(sku=sku, price=Money(Decimal(amount), "EUR"))
    inventory_api.set_stock(sku=sku, quantity=quantity)


def ten_percent_voucher(code: str = "TENOFF", **voucher_options) -> None:
    """The order-wide promotion "10 % off your order" (slug ``ten-off``), redeemed with ``code``."""
    pricing_api.upsert_promotion(
        spec=PromotionSpec(
            slug="ten-off",
            name="Ten off",
            reason="10 % off your order",
            kind="percentage",
            scope="order",
            percent=Decimal(10),
            requires_voucher=True,
        )
    )
    pricing_api.upsert_voucher(code=code, promotion_slug="ten-off", **voucher_options)


def bought_together(*skus: str, times: int = 1) -> None:
    """``times`` orders of one unit of each SKU, announced as orders announce them."""
    for n in range(times):
        with atomic("orders"):
            publish(
                OrderPlaced(
                    order_number=f"ORD-{'-'.join(skus)}-{n}",
                    customer_id=None,
                    email="shopper@example.com",
                    currency="EUR",
                    grand_total=Decimal("20.00"),
                    lines=tuple(EventLine(sku=sku, quantity=1) for sku in skus),
                    placed_at=datetime(2026, 11, 1, tzinfo=UTC),
                )
            )
