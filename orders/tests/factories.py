"""Drafts and orders for tests: priced lines as checkout will hand them over."""

from __future__ import annotations

from decimal import Decimal

from accounts.dtos import PostalAddress
from commerce.shared.money import Money
from orders import services
from orders.dtos import DraftLine, OrderDraft
from orders.models import Order

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
    return services.order_place(draft=draft(*lines, **fields), actor="test")
