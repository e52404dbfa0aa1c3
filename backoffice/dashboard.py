"""The admin index's dashboard: how the shop is doing, composed from each context's api.

Every panel is a few figures, each linking to the admin list that shows
what it counts, with that list's filter applied. A panel appears only to
staff allowed to open the list behind it (the Order fulfilment role sees
orders, the Inventory clerk stock, ...); failed event deliveries only to
superusers. The number of queries does not depend on the shop's size: one
per figure source (sales, backlog, low stock, experiments, reviews,
deliveries).

Reviews is an optional context: its panel is read through
``kernel.isolation.call_optional`` (inline, like pricing on browse pages),
so a failing reviews context costs the dashboard that panel, saying so,
never the admin's index page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from backoffice.chart import daily_sales_chart
from inventory import api as inventory_api
from kernel import relay
from kernel.display import count_display, money_display
from kernel.isolation import call_optional
from orders import api as orders_api
from pricing import api as pricing_api
from reviews import api as reviews_api

PERIODS = [("Today", 1), ("Last 7 days", 7), ("Last 30 days", 30)]
LOW_STOCK_SHOWN = 8


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    value: str
    url: str


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    figures: tuple[Figure, ...]
    charts: tuple[str, ...] = field(default=())
    empty: str = "Nothing to show."


def _url(name: str, **filters) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(filters)}" if filters else url


def build(user, *, now: datetime | None = None) -> list[Panel]:
    """The panels ``user`` may see, as of ``now``."""
    now = timezone.localtime(now)
    panels = []
    if user.has_perm("orders.view_order"):
        panels += [_sales(now.date()), _backlog()]
    if user.has_perm("inventory.view_stock"):
        panels.append(_low_stock())
    if user.has_perm("pricing.view_experiment"):
        panels.append(_experiments())
    if user.has_perm("reviews.view_review"):
        panels.append(
            call_optional("reviews", lambda: _reviews(now), fallback=REVIEWS_DOWN, inline=True)
        )
    if user.is_superuser:
        panels.append(_deliveries())
    return panels


def _sales(today: date) -> Panel:
    days = [today - timedelta(days=back) for back in range(PERIODS[-1][1] - 1, -1, -1)]
    start = timezone.make_aware(datetime.combine(days[0], time.min))
    per_day: dict[str, dict[date, tuple[int, Decimal]]] = defaultdict(dict)
    for row in orders_api.daily_sales(since=start):
        per_day[row.currency][row.day] = (row.orders, row.revenue.amount)
    figures = []
    for label, length in PERIODS:
        first = days[-length]
        since = timezone.make_aware(datetime.combine(first, time.min)).isoformat()
        url = _url("admin:orders_order_changelist", placed_at__gte=since)
        for currency in sorted(per_day):
            sold = [per_day[currency][day] for day in days[-length:] if day in per_day[currency]]
            orders = sum(count for count, _ in sold)
            revenue = sum((amount for _, amount in sold), Decimal(0))
            figures.append(
                Figure(
                    f"{label} ({currency})",
                    f"{money_display(revenue, currency)} · {count_display(orders, 'order')}",
                    url,
                )
            )
    charts = tuple(
        daily_sales_chart(
            days=days,
            amounts=[per_day[currency].get(day, (0, Decimal(0)))[1] for day in days],
            currency=currency,
        )
        for currency in sorted(per_day)
    )
    return Panel("Sales", tuple(figures), charts, empty="No orders in the last 30 days.")


def _backlog() -> Panel:
    backlog = orders_api.order_backlog()
    orders = "admin:orders_order_changelist"
    return Panel(
        "Orders to act on",
        (
            Figure(
                "Waiting for payment",
                str(backlog.by_status.get("pending_payment", 0)),
                _url(orders, status="pending_payment"),
            ),
            Figure(
                "Payments to capture",
                str(backlog.awaiting_capture),
                _url(orders, payment_state="authorized"),
            ),
            Figure(
                "Orders to ship",
                str(backlog.awaiting_shipment),
                _url(orders, status__in="paid,partially_shipped,partially_refunded"),
            ),
        ),
    )


def _low_stock() -> Panel:
    report = inventory_api.low_stock(limit=LOW_STOCK_SHOWN)
    stock = "admin:inventory_stock_changelist"
    return Panel(
        f"Low stock (at most {report.threshold} sellable)",
        (
            Figure("SKUs running low", str(report.total), reverse("admin:inventory_stock_low")),
            *(
                Figure(sku, f"{sellable} left", _url(stock, q=sku))
                for sku, sellable in report.lowest
            ),
        ),
    )


def _experiments() -> Panel:
    figures = []
    for experiment in pricing_api.running_experiments():
        arms = []
        for variant in experiment.variants:
            sold = ", ".join(
                f"{count_display(sales.orders, 'order')}, {money_display(sales.revenue)}"
                for sales in variant.sales
            )
            shoppers = count_display(variant.shoppers, "shopper")
            arms.append(f"{variant.key}: {shoppers}{', ' + sold if sold else ''}")
        figures.append(
            Figure(
                experiment.name,
                " · ".join(arms),
                _url("admin:pricing_experiment_changelist", slug=experiment.slug),
            )
        )
    return Panel("Running experiments", tuple(figures), empty="No experiment is running.")


REVIEWS_DOWN = Panel("Reviews to moderate", (), empty="Reviews are not answering just now.")


def _reviews(now: datetime) -> Panel:
    queue = reviews_api.moderation_queue()
    # The queue sorts reported reviews first (the admin's ordering), so both figures open it.
    waiting = _url("admin:reviews_review_changelist", status__exact="pending")
    figures = [
        Figure("Waiting for moderation", str(queue.pending), waiting),
        Figure("Reported by shoppers", str(queue.reported), waiting),
    ]
    if queue.oldest_pending_at:
        figures.append(Figure("Oldest waiting", timesince(queue.oldest_pending_at, now), waiting))
    return Panel("Reviews to moderate", tuple(figures))


def _deliveries() -> Panel:
    troubled = relay.troubled_deliveries()
    deliveries = "admin:shared_delivery_changelist"
    return Panel(
        "Event deliveries (System)",
        (
            Figure("Failed (gave up)", str(troubled["dead"]), _url(deliveries, status="dead")),
            Figure(
                "Failing, will retry",
                str(troubled["retrying"]),
                _url(deliveries, status="pending", attempts__gt=0),
            ),
        ),
    )
