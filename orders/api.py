"""The public, in-process interface of orders: keyword-only functions returning DTOs.

``place_order`` turns a priced `OrderDraft` into an order (the storefront's
checkout, ``orders.checkout``, uses the same service from inside orders);
account pages read a customer's orders. After a split this
is the one file that becomes an HTTP client.
"""

from __future__ import annotations

from datetime import datetime

from orders import reports, selectors, services
from orders.dtos import DailySales, OrderBacklog, OrderDetail, OrderDraft, OrderPage


def place_order(*, draft: OrderDraft, actor: str, number: str | None = None) -> OrderDetail:
    """Create the order as ``pending_payment`` (publishes orders.order_placed.v1).

    ``number``: one drawn beforehand (checkout claims vouchers and stock under
    it first); else a fresh one. Raises `InvalidOrder` when the draft's lines
    or totals are incoherent.
    """
    order = services.order_place(draft=draft, actor=actor, number=number)
    return selectors.order_by_number(number=order.number)


def orders_for_customer(*, customer_id: int, page: int = 1, per_page: int = 20) -> OrderPage:
    """A page of the customer's orders, newest first."""
    return selectors.orders_of_customer(customer_id=customer_id, page=page, per_page=per_page)


def order_for_customer(*, customer_id: int, number: str) -> OrderDetail | None:
    """The customer's own order; None if there is none or it is someone else's."""
    return selectors.order_of_customer(customer_id=customer_id, number=number)


def best_selling_skus(*, days: int = 30, limit: int = 8) -> list[str]:
    """The SKUs sold most (in units) in paid orders of the last ``days`` days, best first.

    For the storefront's "best sellers": orders knows what sold, the
    catalog what the SKUs are. One query.
    """
    return selectors.best_selling_skus(days=days, limit=limit)


def daily_sales(*, since: datetime) -> list[DailySales]:
    """Sales per local day and currency since ``since`` (cancelled orders left out)."""
    return reports.daily_sales(since=since)


def order_backlog() -> OrderBacklog:
    """Orders per status, and how many wait for a capture or a shipment."""
    return reports.backlog()
