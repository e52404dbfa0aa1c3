"""Drafts and orders for tests: priced lines as checkout will hand them over."""

from __future__ import annotations

from decimal import Decimal

from accounts.dtos import PostalAddress
from catalog import api as catalog_api
from inventory import api as inventory_api
from inventory.dtos import Line
from kernel.money import Money
from orders import services
from orders.dtos import DraftLine, OrderDraft
from orders.models import Order
from tests.builders import simple_product

BERLIN = PostalAddress(
    full_name="Ada Lovelace",
    line1="Invalidenstr. 1",
    postal_code="10115",
    city="Berlin",
    country="DE",
)


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def line(sku: str = "TEA-1", *, quantity: int = 2, unit: str = "12.50", **extra) -> DraftLine:
    unit_price = eur(unit)
    return DraftLine(
        sku=sku,
        title=f"Tea {sku}",
        quantity=quantity,
        unit_price=unit_price,
        line_total=unit_price * quantity,
        tax_rate=Decimal("0.19"),
        tax=Money(unit_price.amount * quantity * Decimal(19) / Decimal(119), "EUR").rounded(),
        **extra,
    )


def draft(*lines: DraftLine, shipping: str = "4.90", discount: str = "0", **fields) -> OrderDraft:
    lines = lines or (line(),)
    subtotal = sum((item.line_total for item in lines), eur("0"))
    values = {
        "email": "ada@example.com",
        "currency": "EUR",
        "lines": lines,
        "shipping_address": BERLIN,
        "billing_address": BERLIN,
        "shipping_method": "DHL Standard",
        "shipping_total": eur(shipping),
        "discount_total": eur(discount),
        "tax_total": sum((item.tax for item in lines), eur("0")),
        "grand_total": subtotal + eur(shipping) - eur(discount),
        "prices_include_tax": True,
    }
    return OrderDraft(**{**values, **fields})


def place(*lines: DraftLine, **fields) -> Order:
    """An order as checkout leaves it: placed, with its stock allocated in inventory."""
    order = services.order_place(draft=draft(*lines, **fields), actor="test")
    stock_lines = [Line(sku=item.sku, quantity=item.quantity) for item in order.lines.all()]
    known = catalog_api.products_by_sku(skus=[item.sku for item in stock_lines])
    for item in stock_lines:
        if item.sku not in known:
            simple_product(sku=item.sku, title=f"Tea {item.sku}")
        inventory_api.receive(warehouse_code=warehouse(), sku=item.sku, quantity=item.quantity)
    inventory_api.allocate(order_ref=order.number, lines=stock_lines)
    return order


def warehouse() -> str:
    inventory_api.upsert_warehouse(code="MAIN", name="Main", country="DE", priority=1)
    return "MAIN"
