"""Deterministic demo data: a believable shop of 10 categories and 240 products.

Everything derives from a fixed seed, so two runs produce the same catalog,
prices and stock, and a second run changes nothing (each context's upsert
writes, and publishes, only what differs). Data goes in through each
context's ``api`` like any other caller's would, so events and projections
are populated exactly as in production.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify

from catalog import api as catalog_api
from commerce.shared.money import Money
from inventory import api as inventory_api
from pricing import api as pricing_api

SEED = 20261121
PRODUCTS_PER_CATEGORY = 24

#: category: (SKU prefix, price range in EUR, qualifiers, product nouns)
CATEGORIES: dict[str, tuple[str, tuple[int, int], list[str], list[str]]] = {
    "Coffee & Tea": ("CT", (4, 38), ["Single-origin", "Organic", "Smoked", "Decaf", "Ceremonial", "Spiced"],
                     ["Espresso Beans", "Filter Roast", "Green Tea", "Earl Grey", "Matcha", "Rooibos"]),
    "Kitchen": ("KI", (9, 180), ["Cast-iron", "Stainless", "Enamelled", "Copper", "Non-stick", "Bamboo"],
                ["Frying Pan", "Stock Pot", "Chef's Knife", "Cutting Board", "Saucepan", "Dutch Oven"]),
    "Home Textiles": ("HT", (12, 160), ["Linen", "Cotton", "Wool", "Waffle", "Velvet", "Organic Cotton"],
                      ["Bath Towel", "Duvet Cover", "Throw Blanket", "Cushion Cover", "Table Runner", "Bed Sheet"]),
    "Outdoor": ("OD", (15, 320), ["Ultralight", "Waterproof", "Insulated", "Packable", "All-season", "Trail"],
                ["Tent", "Sleeping Bag", "Rain Jacket", "Daypack", "Camp Stove", "Trekking Poles"]),
    "Books": ("BK", (8, 45), ["Illustrated", "Pocket", "Collector's", "Annotated", "Hardcover", "Paperback"],
              ["Cookbook", "Field Guide", "Atlas", "Poetry Anthology", "Travel Journal", "History of Design"]),
    "Stationery": ("ST", (3, 60), ["Dotted", "Recycled", "Leather-bound", "A5", "Pocket", "Grid"],
                   ["Notebook", "Fountain Pen", "Pencil Set", "Planner", "Sketchbook", "Desk Pad"]),
    "Audio": ("AU", (25, 450), ["Wireless", "Noise-cancelling", "Studio", "Portable", "Retro", "Compact"],
              ["Headphones", "Speaker", "Turntable", "Earbuds", "Amplifier", "Soundbar"]),
    "Garden": ("GA", (5, 140), ["Heirloom", "Raised", "Self-watering", "Terracotta", "Galvanised", "Hand-forged"],
               ["Planter", "Seed Kit", "Watering Can", "Pruning Shears", "Garden Trowel", "Herb Box"]),
    "Toys & Games": ("TG", (7, 95), ["Wooden", "Classic", "Family", "Strategy", "Cooperative", "Travel"],
                     ["Puzzle", "Board Game", "Building Blocks", "Card Game", "Marble Run", "Train Set"]),
    "Personal Care": ("PC", (4, 70), ["Unscented", "Lavender", "Cedar", "Sensitive", "Citrus", "Charcoal"],
                      ["Hand Soap", "Shaving Kit", "Body Lotion", "Shampoo Bar", "Face Oil", "Bath Salts"]),
}  # fmt: skip

EDITIONS = ["", " Mini", " XL", " Set of 2"]

#: Rough exchange rates for demo prices in the other currencies.
RATES = {"USD": Decimal("1.08"), "GBP": Decimal("0.86")}


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    title: str
    category_slug: str
    description: str
    price_eur: Decimal
    stock: int


def _charm_price(value: Decimal) -> Decimal:
    """Shop-style price points: 12.99, 149.00 rather than 12.43."""
    if value >= 100:
        return value.quantize(Decimal(1)) + Decimal("0.00")
    return value.quantize(Decimal(1)) - Decimal("0.01")


def demo_products() -> list[DemoProduct]:
    rng = random.Random(SEED)
    products = []
    for category, (prefix, (low, high), qualifiers, nouns) in CATEGORIES.items():
        combos = [(q, n) for q in qualifiers for n in nouns]
        rng.shuffle(combos)
        for index, (qualifier, noun) in enumerate(combos[:PRODUCTS_PER_CATEGORY], start=1):
            title = f"{qualifier} {noun}{rng.choice(EDITIONS)}"
            products.append(
                DemoProduct(
                    sku=f"{prefix}-{index:04d}",
                    title=title,
                    category_slug=slugify(category),
                    description=(
                        f"Our {title.lower()} is part of the {category.lower()} range: "
                        f"{qualifier.lower()} by design, made to be used every day and to last."
                    ),
                    price_eur=_charm_price(
                        Decimal(rng.uniform(low, high)).quantize(Decimal("0.01"))
                    ),
                    stock=rng.choice([0, 2, 4, *range(6, 80, 7)]),
                )
            )
    return products


def seed_catalog_prices_stock() -> int:
    """Create or update the demo data; returns the number of products."""
    for name in CATEGORIES:
        catalog_api.upsert_category(slug=slugify(name), name=name)
    products = demo_products()
    for product in products:
        catalog_api.upsert_product(
            sku=product.sku,
            title=product.title,
            slug=slugify(f"{product.title}-{product.sku}"),
            description=product.description,
            category_slug=product.category_slug,
        )
        pricing_api.set_price(sku=product.sku, price=Money(product.price_eur, "EUR"))
        for currency, rate in RATES.items():
            converted = _charm_price(product.price_eur * rate)
            pricing_api.set_price(sku=product.sku, price=Money(converted, currency))
        inventory_api.set_stock(sku=product.sku, quantity=product.stock)
    return len(products)
