"""Deterministic demo data: a believable shop of 10 departments and 240 products.

Everything derives from a fixed seed, so two runs produce the same catalog,
prices and opening stock, and a second run changes nothing (each context's upsert
writes, and publishes, only what differs). Data goes in through each
context's ``api`` like any other caller's would, so events and projections
are populated exactly as in production.

The catalog: 10 departments, each with one subcategory per kind of product
(a two-level tree), a "Gift ideas" department holding every fifth product
as a secondary category, three brands per department, one product type per
department with a choice, a number, a yes/no and a text attribute, variant
options (weight, colour or size) in half the departments, and an
illustration per product drawn with Pillow (demo/illustrations.py; one
per colour for colour variants), no network.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify

from catalog import api as catalog_api
from catalog.dtos import (
    AttributeSpec,
    AttributeText,
    ImageInput,
    OptionChoice,
    ProductInput,
    VariantInput,
)
from demo import illustrations
from inventory import api as inventory_api
from kernel.money import Money
from pricing import api as pricing_api

SEED = 20261121
PRODUCTS_PER_CATEGORY = 24
GIFTS = ("gift-ideas", "Gift ideas")

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

#: department: (name of its choice attribute (values: the qualifiers), weight unit,
#: variant option or None, brands)
TYPES: dict[str, tuple[str, str, tuple[str, str, list[str]] | None, list[str]]] = {
    "Coffee & Tea": ("Style", "g", ("pack", "Pack size", ["250 g", "1 kg"]), ["Hillside Roasters", "Kettle & Leaf", "Morning Field"]),
    "Kitchen": ("Material", "kg", None, ["Forge & Hearth", "Panterra", "Cucina Viva"]),
    "Home Textiles": ("Fabric", "g", ("colour", "Colour", ["Natural", "Slate", "Sage"]), ["Loom House", "Soft Harbour", "Nordweave"]),
    "Outdoor": ("Feature", "kg", ("size", "Size", ["S", "M", "L"]), ["Ridgeline", "Northpass", "Campfire Co."]),
    "Books": ("Edition", "g", None, ["Inkwell Press", "Atlas & Oak", "Paper Lantern"]),
    "Stationery": ("Format", "g", ("colour", "Colour", ["Black", "Navy", "Ochre"]), ["Quillmark", "Paperwell", "Desk & Draft"]),
    "Audio": ("Type", "g", ("colour", "Colour", ["Black", "White"]), ["Sonora", "Hifi Lab", "Resonant"]),
    "Garden": ("Finish", "kg", None, ["Greenthumb", "Potting Shed", "Wild Acre"]),
    "Toys & Games": ("Play style", "g", None, ["Tinker Toys", "Boardroom Games", "Little Oak"]),
    "Personal Care": ("Scent", "g", None, ["Pure Botanica", "Barber & Co.", "Saltwater Spa"]),
}  # fmt: skip

EDITIONS = ["", " Mini", " XL", " Set of 2"]
ORIGINS = ["Portugal", "Japan", "Italy", "Denmark", "Colombia", "Germany", "Kenya", "Vietnam"]

#: Rough exchange rates for demo prices in the other currencies.
RATES = {"USD": Decimal("1.08"), "GBP": Decimal("0.86")}


@dataclass(frozen=True)
class DemoVariant:
    sku: str
    option: str | None
    price_eur: Decimal
    stock: int


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    title: str
    category: str
    department: str
    description: str
    brand: str
    attributes: tuple[AttributeText, ...]
    variants: tuple[DemoVariant, ...]
    gift: bool

    @property
    def price_eur(self) -> Decimal:
        return self.variants[0].price_eur


def _charm_price(value: Decimal) -> Decimal:
    """Shop-style price points: 12.99, 149.00 rather than 12.43."""
    if value >= 100:
        return value.quantize(Decimal(1)) + Decimal("0.00")
    return value.quantize(Decimal(1)) - Decimal("0.01")


def _variants(rng: random.Random, sku: str, department: str, base: Decimal) -> tuple:
    option = TYPES[department][2]
    stock = [0, 2, 4, *range(6, 80, 7)]
    if option is None:
        return (DemoVariant(sku=sku, option=None, price_eur=base, stock=rng.choice(stock)),)
    return tuple(
        DemoVariant(
            sku=f"{sku}-{slugify(value).upper()}",
            option=value,
            price_eur=_charm_price(base * (1 + Decimal(step) * Decimal("0.6")))
            if option[0] == "pack"
            else base,
            stock=rng.choice(stock),
        )
        for step, value in enumerate(option[2])
    )


def demo_products() -> list[DemoProduct]:
    rng = random.Random(SEED)
    products = []
    for department, (prefix, (low, high), qualifiers, nouns) in CATEGORIES.items():
        attribute_name, unit, _, brands = TYPES[department]
        combos = [(q, n) for q in qualifiers for n in nouns]
        rng.shuffle(combos)
        for index, (qualifier, noun) in enumerate(combos[:PRODUCTS_PER_CATEGORY], start=1):
            title = f"{qualifier} {noun}{rng.choice(EDITIONS)}"
            sku = f"{prefix}-{index:04d}"
            base = _charm_price(Decimal(rng.uniform(low, high)).quantize(Decimal("0.01")))
            origin = rng.choice(ORIGINS)
            products.append(
                DemoProduct(
                    sku=sku,
                    title=title,
                    category=slugify(f"{department} {noun}"),
                    department=department,
                    description=(
                        f"Our {title.lower()} is part of the {department.lower()} range: "
                        f"{qualifier.lower()} by design, made in {origin} to be used every "
                        "day and to last."
                    ),
                    brand=rng.choice(brands),
                    attributes=(
                        AttributeText(code=slugify(attribute_name), value=qualifier),
                        AttributeText(
                            code="weight",
                            value=str(rng.randint(1, 40) * (25 if unit == "g" else 1)),
                        ),
                        AttributeText(code="eco", value=rng.choice(["yes", "no"])),
                        AttributeText(code="made_in", value=origin),
                    ),
                    variants=_variants(rng, sku, department, base),
                    gift=index % 5 == 0,
                )
            )
    return products


def seed_structure() -> None:
    """Departments, their subcategories, and one product type per department."""
    for position, (department, (_, _, qualifiers, nouns)) in enumerate(CATEGORIES.items()):
        catalog_api.upsert_category(slug=slugify(department), name=department, position=position)
        for noun_position, noun in enumerate(nouns):
            catalog_api.upsert_category(
                slug=slugify(f"{department} {noun}"),
                name=noun,
                parent_slug=slugify(department),
                position=noun_position,
            )
        attribute_name, unit, option, _ = TYPES[department]
        attributes = [
            AttributeSpec(
                code=slugify(attribute_name),
                name=attribute_name,
                kind="choice",
                choices=tuple(qualifiers),
            ),
            AttributeSpec(code="weight", name=f"Weight ({unit})", kind="number"),
            AttributeSpec(code="eco", name="Eco-friendly", kind="boolean"),
            AttributeSpec(code="made_in", name="Made in", kind="text"),
        ]
        if option:
            code, name, values = option
            attributes.append(
                AttributeSpec(
                    code=code,
                    name=name,
                    kind="choice",
                    is_variant_option=True,
                    choices=tuple(values),
                )
            )
        catalog_api.upsert_product_type(
            slug=slugify(department), name=department, attributes=attributes
        )
    catalog_api.upsert_category(slug=GIFTS[0], name=GIFTS[1], position=len(CATEGORIES))


def _inputs(products: list[DemoProduct]) -> list[ProductInput]:
    return [
        ProductInput(
            sku=p.sku,
            title=p.title,
            slug=slugify(f"{p.title}-{p.sku}"),
            description=p.description,
            category=p.category,
            secondary_categories=(GIFTS[0],) if p.gift else (),
            brand=p.brand,
            product_type=slugify(p.department),
            attributes=p.attributes,
            variants=tuple(
                VariantInput(
                    sku=v.sku,
                    options=(OptionChoice(code=TYPES[p.department][2][0], value=v.option),),
                )
                if v.option
                else VariantInput(sku=v.sku)
                for v in p.variants
            ),
        )
        for p in products
    ]


def _noun(product: DemoProduct) -> str:
    return next(noun for noun in CATEGORIES[product.department][3] if noun in product.title)


def picture(product: DemoProduct, *, colour: str | None = None, detail: bool = False) -> bytes:
    """A 600 px JPEG illustration of the product's kind, in its department's colours."""
    departments = list(CATEGORIES)
    hue = departments.index(product.department) / len(departments)
    tint = (int(product.sku[-2:]) % 5 - 2) * 0.03  # products of a kind differ a little
    return illustrations.draw(_noun(product), hue=hue, tint=tint, colour=colour, detail=detail)


def _images(product: DemoProduct) -> list[ImageInput]:
    """One picture per colour variant (its alt text names the colour), else a front view.

    Gift ideas get a second, closer picture.
    """
    option = TYPES[product.department][2]
    colours = [v.option for v in product.variants] if option and option[0] == "colour" else [None]
    images = [
        ImageInput(
            file_name=f"{product.sku.lower()}-{slugify(colour or 'front')}.jpg",
            content=picture(product, colour=colour),
            alt_text=f"{product.title}{f' in {colour}' if colour else ''}, front view",
        )
        for colour in colours
    ]
    if product.gift:
        images.append(
            ImageInput(
                file_name=f"{product.sku.lower()}-detail.jpg",
                content=picture(product, colour=colours[0], detail=True),
                alt_text=f"{product.title}, detail",
            )
        )
    return images


def seed_catalog_prices_stock(*, with_images: bool = True) -> int:
    """Create or update the demo data; returns the number of products."""
    seed_structure()
    products = demo_products()
    report = catalog_api.upsert_products(products=_inputs(products))
    if report.errors:
        raise ValueError("demo data invalid: " + "; ".join(map(str, report.errors)))
    # Opening stock only: once a SKU has stock, orders and staff move it, not the seed.
    stocked = {
        level.sku
        for level in inventory_api.stock_levels(
            skus=[v.sku for product in products for v in product.variants]
        )
    }
    for product in products:
        if with_images:
            catalog_api.set_product_images(sku=product.sku, images=_images(product))
        for variant in product.variants:
            pricing_api.set_price(sku=variant.sku, price=Money(variant.price_eur, "EUR"))
            for currency, rate in RATES.items():
                converted = _charm_price(variant.price_eur * rate)
                pricing_api.set_price(sku=variant.sku, price=Money(converted, currency))
            if variant.sku not in stocked:
                inventory_api.set_stock(sku=variant.sku, quantity=variant.stock)
    return len(products)
