"""Orders as CSV for spreadsheets and accounting: one row per order, amounts in minor units.

Amounts are plain numbers in the order's currency, rounded to its minor
unit (``18.99``), with the currency in a column of its own, so a
spreadsheet can sum them; dates are ISO 8601.
"""

from __future__ import annotations


def _amount(field: str):
    return lambda order: order.money(getattr(order, field)).amount


ORDER_COLUMNS = [
    ("number", lambda order: order.number),
    ("placed_at", lambda order: order.placed_at.isoformat()),
    ("status", lambda order: order.status),
    ("email", lambda order: order.email),
    ("country", lambda order: order.shipping_address.get("country", "")),
    ("currency", lambda order: order.currency),
    ("subtotal", _amount("subtotal")),
    ("discount", _amount("discount_total")),
    ("shipping", _amount("shipping_total")),
    ("tax", _amount("tax_total")),
    ("total", _amount("grand_total")),
    ("refunded", _amount("refunded_total")),
    ("shipping_method", lambda order: order.shipping_method),
    ("voucher_codes", lambda order: " ".join(order.voucher_codes)),
]
