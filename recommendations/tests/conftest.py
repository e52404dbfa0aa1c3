"""Building this context's copy of a shop directly through its services.

Most tests need products with categories, prices and stock, and orders,
without going through the catalog, pricing, inventory and orders (one
end-to-end test does that, test_handlers.py): ``shelve`` announces a
product as the catalog would describe it, with its price and stock, and
``order`` stores a placed order's basket.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from itertools import count

import pytest

from catalog.dtos import AttributeValue, BrandRef, CategoryRef, ProductDetail
from recommendations.services import baskets, profiles

_clock = count(1)


def tick() -> datetime:
    """A later time on every call: events in the order the test sends them."""
    return datetime.fromtimestamp(1_700_000_000 + next(_clock), tz=UTC)


def sku(product_id: int) -> str:
    return f"P-{product_id}"


def shelve(
    product_id: int,
    *,
    category: str = "tea",
    brand: str | None = None,
    attributes: tuple[tuple[str, str], ...] = (),
    price: str = "10.00",
    stock: int = 5,
    status: str = "published",
) -> None:
    detail = ProductDetail(
        id=product_id,
        sku=sku(product_id),
        title=f"Product {product_id}",
        slug=f"product-{product_id}",
        description="",
        category=CategoryRef(slug=category, name=category.title()),
        brand=BrandRef(slug=brand, name=brand.title()) if brand else None,
        attributes=tuple(AttributeValue(code=c, name=c.title(), value=v) for c, v in attributes),
        status=status,
    )
    profiles.profile_refresh(product_id=product_id, product=detail)
    profiles.price_record(
        sku=sku(product_id), currency="EUR", amount=Decimal(price), changed_at=tick()
    )
    profiles.stock_record(sku=sku(product_id), quantity=stock, changed_at=tick())


_orders = count(1)


def order(*product_ids: int) -> str:
    number = f"ORD-{next(_orders)}"
    baskets.basket_record(order_number=number, skus=[sku(p) for p in product_ids], placed_at=tick())
    return number


@pytest.fixture
def shop(db, settings):
    """Twelve products in stock: 1-10 tea, 11-12 pans."""
    settings.RECOMMENDATIONS_MIN_SUPPORT = 2
    settings.RECOMMENDATIONS_ROW_SIZE = 8
    for product_id in range(1, 11):
        shelve(product_id)
    shelve(11, category="pans")
    shelve(12, category="pans")
