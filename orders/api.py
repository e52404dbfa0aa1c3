"""The public, in-process interface of orders: keyword-only functions returning DTOs.

``place_order`` turns a priced `OrderDraft` into an order (the storefront's
checkout, ``orders.checkout``, uses the same service from inside orders);
account pages read a customer's orders. After a split this
is the one file that becomes an HTTP client.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kernel.money import Money
from orders import imports, reports, selectors, services, shipping
from orders.dtos import (
    DailySales,
    OrderBacklog,
    OrderDetail,
    OrderDraft,
    PastStep,
    ShippingChoice,
)


def place_order(*, draft: OrderDraft, actor: str, number: str | None = None) -> OrderDetail:
    """Create the order as ``pending_payment`` (publishes orders.order_placed.v1).

    ``number``: one drawn beforehand (checkout claims vouchers and stock under
    it first); else a fresh one. Raises `InvalidOrder` when the draft's lines
    or totals are incoherent.
    """
    order = services.order_place(draft=draft, actor=actor, number=number)
    return selectors.order_by_number(number=order.number)


def import_order(
    *,
    draft: OrderDraft,
    number: str,
    placed_at: datetime,
    steps: Sequence[PastStep] = (),
    actor: str = "import",
) -> bool:
    """Record an order that happened before: placed at ``placed_at``, then each of ``steps``.

    For seeding the demo and importing another system's orders: the same
    services, rules and events as a live order, each step dated when it
    happened; the shipped part moves no stock (it left before the current
    count), what is left to ship is allocated; no pricing, vouchers or
    e-mails (see `orders.imports`).
    Returns False, changing nothing, if an order ``number`` exists already.
    Raises `InvalidOrder` (bad draft, steps out of order or in the future,
    not enough stock) or `TransitionNotAllowed` (a step the order's status
    refuses); then nothing is kept.
    """
    return imports.order_import(
        draft=draft, number=number, placed_at=placed_at, steps=steps, actor=actor
    )


def existing_numbers(*, numbers: Sequence[str]) -> set[str]:
    """Which of ``numbers`` are orders already (an import skips them); one query."""
    return selectors.existing_numbers(numbers=numbers)


def shipping_choices(*, country: str, goods_total: Money, item_count: int) -> list[ShippingChoice]:
    """The shipping methods serving ``country`` and their charge for these goods (as shown)."""
    return shipping.choices(country=country, goods_total=goods_total, item_count=item_count)


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
