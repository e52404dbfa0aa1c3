"""Demo orders: three months of trade in every state, with co-purchases planted in them.

A few thousand orders over the last `DAYS` days, placed by the demo
customers and by guests, in three currencies, more of them lately (the shop
grows). Each goes in through ``orders.api.import_order``, which places it
and replays its history with orders' own services, each step dated when it
happened: the payment (a card, or a bank transfer that arrives days later),
one or two parcels, the delivery, and for some a cancellation, a return
(full refund) or a partial refund. Steps that would lie in the future are
not taken, so the newest orders wait for payment, capture or shipping, and
some are still on their way: the dashboard, the order lists, the reports,
best sellers and the experiment figures all have something to show.

Prices come from ``pricing.api.quote`` (promotions included) and shipping
from ``orders.api.shipping_choices``, as checkout would charge them today.
Stock: the shop's opening stock is counted now, after the history, so the
shipped part of the history moves no stock (orders.imports); what the open
orders still have to ship is allocated, and received just before through
``inventory.api.receive`` (reference: the order number) into the warehouse
the SKU is allocated from first, so the shop shows its opening stock.
SKUs without opening stock are never ordered.

Planted co-purchases (`PLANTED`): a quarter of the baskets hold one of a
few pairs of products, most from different departments (a cookbook with a
Dutch oven, a field guide with a daypack, ...), which the recommendations context
learns from the ``orders.order_placed.v1`` events as "customers who bought
this also bought" (demo/tests/test_demo_orders.py checks they are in each
other's top three).

Deterministic (a fixed seed: numbers, baskets, people and histories) and
idempotent: an order whose number exists is skipped (``orders.api.
existing_numbers``), stock is received only for orders still to import, so
a second run adds nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.dtos import PostalAddress
from demo.catalog_seed import DemoProduct, demo_products
from demo.customers import Person, ensure_customers
from demo.reviews_seed import CUSTOMERS
from inventory import api as inventory_api
from kernel.money import Money
from orders import api as orders_api
from orders.dtos import OrderDraft, PastStep
from pricing import api as pricing_api
from pricing.dtos import BasketLine, Customer, Quote, QuoteContext

SEED = 20261202
ORDER_COUNT = 2000
DAYS = 90
ACTOR = "demo"
#: The symbols of orders' numbers (no 0/O, 1/I/L, U), so demo numbers look like real ones.
NUMBER_SYMBOLS = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

#: Pairs of product kinds (by noun in the title) bought together in a quarter of the baskets.
PLANTED = [
    ("Cookbook", "Dutch Oven"),
    ("Field Guide", "Daypack"),
    ("Fountain Pen", "Travel Journal"),
    ("Bath Salts", "Bath Towel"),
    ("Seed Kit", "Herb Box"),
]
PLANTED_SHARE = 0.25

#: country: (currency, weight, (city, postal code, region) choices)
COUNTRIES = {
    "DE": ("EUR", 40, [("Berlin", "10115", ""), ("Hamburg", "20095", ""), ("Köln", "50667", "")]),
    "FR": ("EUR", 12, [("Paris", "75011", ""), ("Lyon", "69002", "")]),
    "NL": ("EUR", 10, [("Amsterdam", "1012 AB", ""), ("Utrecht", "3511 AA", "")]),
    "GB": ("GBP", 16, [("London", "SW1A 1AA", ""), ("Manchester", "M1 1AE", "")]),
    "US": ("USD", 22, [("Boston", "02108", "MA"), ("Portland", "97201", "OR")]),
}  # fmt: skip
STREETS = ["Lindenstraße", "Rue des Lilas", "Keizersgracht", "Baker Street", "Maple Avenue",
           "Hauptstraße", "Canal Street", "Rosenweg"]  # fmt: skip
FIRST_NAMES = ["Ana", "Bilal", "Carla", "Daniel", "Emma", "Farid", "Greta", "Hannah", "Ivan",
               "Julia", "Karim", "Lena", "Marco", "Nina", "Oscar", "Priya", "Rosa", "Sami",
               "Tom", "Yuki"]  # fmt: skip
LAST_NAMES = ["Andersen", "Bauer", "Costa", "Dubois", "Evans", "Fischer", "García", "Hughes",
              "Jansen", "Kowalski", "Lopez", "Meyer", "Novak", "Olsen", "Schmidt",
              "Walker"]  # fmt: skip
#: Registered customers besides the reviewers; the rest of the orders are guests'.
MORE_CUSTOMERS = 32
GUEST_SHARE = 0.35

#: What happens to an order after it is placed, and how often (the rest: delivered).
OUTCOMES = {
    "abandoned": 3,  # a bank transfer that never came: cancelled after a week
    "cancelled": 4,  # paid, cancelled before shipping (money back)
    "returned": 3,  # delivered, then refunded in full
    "partly_refunded": 4,  # delivered, one unit refunded
    "two_parcels": 8,  # shipped in two parcels, days apart
    "not_confirmed": 10,  # shipped; nobody marked it delivered
    "delivered": 68,
}


@dataclass(frozen=True, slots=True)
class Shopper:
    customer_id: int | None
    name: str
    email: str
    address: PostalAddress


@dataclass(frozen=True, slots=True)
class PlannedOrder:
    number: str
    placed_at: datetime
    shopper: Shopper
    lines: tuple[tuple[str, int], ...]  # (SKU, quantity), one line per SKU
    outcome: str
    card: bool
    express: bool
    manual_capture: bool


def planted_pairs(products: list[DemoProduct]) -> list[tuple[DemoProduct, DemoProduct]]:
    """The planted pairs found among ``products`` (first in-stock product of each kind)."""

    def first(noun: str) -> DemoProduct | None:
        return next((p for p in products if noun in p.title and _in_stock(p)), None)

    found = [(first(a), first(b)) for a, b in PLANTED]
    return [(a, b) for a, b in found if a and b]


def _in_stock(product: DemoProduct) -> bool:
    return any(v.stock for v in product.variants)


def _titles(products: list[DemoProduct]) -> dict[str, str]:
    """What an order line says was bought, as checkout's "Espresso Beans, 1 kg"."""
    return {
        v.sku: f"{p.title}, {v.option}" if v.option else p.title
        for p in products
        for v in p.variants
    }


def _shoppers(rng: random.Random) -> list[Shopper]:
    """The registered customers (reviewers first), each with an address of their own."""
    people: list[Person] = list(CUSTOMERS)
    for index in range(MORE_CUSTOMERS):
        first, last = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[index % len(LAST_NAMES)]
        people.append((f"{first}.{last}.{index}".lower(), first, last))
    ids = ensure_customers(people)
    shoppers = [
        Shopper(
            customer_id, f"{first} {last}", f"{username}@example.com", _address(rng, first, last)
        )
        for customer_id, (username, first, last) in zip(ids, people, strict=True)
    ]
    return shoppers


def _address(rng: random.Random, first: str, last: str) -> PostalAddress:
    country = rng.choices(list(COUNTRIES), weights=[c[1] for c in COUNTRIES.values()])[0]
    city, postal_code, region = rng.choice(COUNTRIES[country][2])
    return PostalAddress(
        full_name=f"{first} {last}",
        line1=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        postal_code=postal_code,
        city=city,
        country=country,
        region=region,
    )


def _guest(rng: random.Random, index: int) -> Shopper:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{first}.{last}.guest{index}@example.com".lower()
    return Shopper(None, f"{first} {last}", email, _address(rng, first, last))


def plan(*, count: int, now: datetime) -> list[PlannedOrder]:
    """The demo's orders, oldest first: the same for the same ``count`` (and catalog)."""
    rng = random.Random(SEED)
    products = [p for p in demo_products() if _in_stock(p)]
    pairs = planted_pairs(products)
    order = products[:]
    rng.shuffle(order)  # popularity does not follow the catalog's order
    weights = [1 / (rank + 4) for rank in range(len(order))]
    shoppers = _shoppers(rng)
    loyalty = [1 / (rank + 2) for rank in range(len(shoppers))]
    # More orders lately: the density of placing times grows linearly over the period.
    ages = sorted((DAYS * (1 - rng.random() ** 0.5) for _ in range(count)), reverse=True)
    planned = []
    for index, age in enumerate(ages):
        basket: list[DemoProduct] = []
        if pairs and rng.random() < PLANTED_SHARE:
            basket += rng.choice(pairs)
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3)) - (1 if basket else 0)):
            basket.append(rng.choices(order, weights=weights)[0])
        units: Counter[str] = Counter()
        for product in basket:
            variant = rng.choice([v for v in product.variants if v.stock])
            units[variant.sku] += rng.choice((1, 1, 1, 1, 2, 3))
        outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
        if outcome == "two_parcels":
            units[min(units)] += 1  # at least two units, one per parcel
        shopper = (
            _guest(rng, index)
            if rng.random() < GUEST_SHARE
            else rng.choices(shoppers, weights=loyalty)[0]
        )
        planned.append(
            PlannedOrder(
                number=_number(rng),
                placed_at=now - timedelta(days=age),
                shopper=shopper,
                lines=tuple(sorted(units.items())),
                outcome=outcome,
                card=rng.random() < 0.85,
                express=rng.random() < 0.2,
                manual_capture=rng.random() < 0.25,
            )
        )
    return planned


def _number(rng: random.Random) -> str:
    chars = "".join(rng.choice(NUMBER_SYMBOLS) for _ in range(8))
    return f"CM-{chars[:4]}-{chars[4:]}"


def seed_orders(*, count: int = ORDER_COUNT, now: datetime | None = None) -> int:
    """Import the demo orders that are missing; returns how many were imported."""
    now = now or timezone.now()
    planned = plan(count=count, now=now)
    existing = orders_api.existing_numbers(numbers=[p.number for p in planned])
    missing = [p for p in planned if p.number not in existing]
    products = demo_products()
    titles = _titles(products)
    warehouses: dict[str, str] = {}  # SKU: the warehouse it is allocated from first
    for level in inventory_api.stock_levels(skus=list(titles)):
        warehouses.setdefault(level.sku, level.warehouse)
    for order in missing:
        _import(order, titles=titles, warehouses=warehouses, now=now)
    return len(missing)


def _held(order: PlannedOrder, steps: list[PastStep]) -> Counter[str]:
    """The units the order still has to ship after ``steps`` (what it holds in stock)."""
    left = Counter(dict(order.lines))
    for step in steps:
        if step.action == "cancel" or (step.action == "refund" and step.amount is None):
            return Counter()
        if step.action == "ship":
            left.subtract(dict(step.units) if step.units else left)
    return +left


def _quote(order: PlannedOrder, shipping: Money | None = None) -> Quote:
    shopper = order.shopper
    return pricing_api.quote(
        lines=[BasketLine(sku, quantity) for sku, quantity in order.lines],
        currency=COUNTRIES[shopper.address.country][0],
        customer=Customer(customer_id=shopper.customer_id) if shopper.customer_id else None,
        context=QuoteContext(country=shopper.address.country, visitor_id=f"demo-{order.number}"),
        shipping=shipping,
    )


def _import(
    order: PlannedOrder, *, titles: dict[str, str], warehouses: dict[str, str], now: datetime
) -> None:
    goods = _quote(order)
    choices = orders_api.shipping_choices(
        country=order.shopper.address.country,
        goods_total=goods.total,
        item_count=sum(quantity for _, quantity in order.lines),
    )
    chosen = choices[-1] if order.express else choices[0]
    quote = _quote(order, shipping=chosen.price) if chosen.price else goods
    steps = [step for step in _history(order, quote) if step.at <= now]
    # The shop's stock keeps its opening figures: what the order holds arrives for it.
    for sku, quantity in sorted(_held(order, steps).items()):
        inventory_api.receive(
            warehouse_code=warehouses[sku], sku=sku, quantity=quantity, reference=order.number
        )
    orders_api.import_order(
        draft=_draft(order, quote, shipping_method=chosen.name, titles=titles),
        number=order.number,
        placed_at=order.placed_at,
        steps=steps,
        actor=ACTOR,
    )
    if any(line.experiment for line in quote.lines):
        pricing_api.record_experiment_sales(order_ref=order.number, quote=quote)


def _draft(order: PlannedOrder, quote: Quote, *, shipping_method: str, titles) -> OrderDraft:
    """The order as checkout would hand it over for this quote (orders/checkout/services.py)."""
    shopper = order.shopper
    return OrderDraft.of_quote(
        quote,
        titles=titles,
        shipping=quote.shipping.amount if quote.shipping else Money.zero(quote.currency),
        grand_total=quote.total,
        email=shopper.email,
        shipping_address=shopper.address,
        billing_address=shopper.address,
        shipping_method=shipping_method,
        customer_id=shopper.customer_id,
    )


def _history(order: PlannedOrder, quote: Quote) -> list[PastStep]:
    """Everything that happens to the order, dated; the caller drops what lies in the future."""
    rng = random.Random(f"{SEED}:{order.number}")
    hours = lambda low, high: timedelta(hours=rng.uniform(low, high))  # noqa: E731
    at = order.placed_at + timedelta(minutes=1)
    card = order.card and order.outcome != "abandoned"
    steps = [PastStep("authorize", at, provider="sandbox" if card else "bank_transfer")]
    if order.outcome == "abandoned":
        reason = "The bank transfer never arrived."
        return [*steps, PastStep("cancel", at + timedelta(days=7), reason=reason)]
    at += hours(20, 30) * rng.randint(1, 3) if not card else timedelta(minutes=1)
    if card and order.manual_capture:  # captured when the parcel is packed
        at += hours(12, 48)
    steps.append(PastStep("capture", at))
    if order.outcome == "cancelled":
        reason = "The customer changed their mind."
        return [*steps, PastStep("cancel", at + hours(1, 20), reason=reason)]
    at += hours(6, 60)
    if order.outcome == "two_parcels":  # one unit first, the rest when it is back in stock
        steps.append(PastStep("ship", at, units=((order.lines[0][0], 1),)))
        at += hours(48, 144)
    steps.append(PastStep("ship", at))
    if order.outcome == "not_confirmed":
        return steps
    at += hours(24, 96)
    steps.append(PastStep("deliver", at))
    at += hours(72, 14 * 24)
    if order.outcome == "returned":
        steps.append(PastStep("refund", at, reason="Returned: did not suit."))
    elif order.outcome == "partly_refunded":
        line = quote.lines[0]  # what one unit was paid, its discounts taken off
        unit = (line.total * (Decimal(1) / line.quantity)).rounded()
        steps.append(PastStep("refund", at, amount=unit, reason="One item arrived damaged."))
    return steps
