"""Putting a sellable product in the shop the way any caller would: through
the catalog, pricing and inventory apis (so events flow as in production)."""

from decimal import Decimal

from catalog import api as catalog_api
from inventory import api as inventory_api
from kernel.money import Money
from pricing import api as pricing_api


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
    catalog_api.upsert_category(slug=category, name=category.title())
    catalog_api.upsert_product(
        sku=sku, title=title, slug=slug, description=description, category_slug=category
    )
    pricing_api.set_price(sku=sku, price=Money(Decimal(price), "EUR"))
    inventory_api.set_stock(sku=sku, quantity=stock)
