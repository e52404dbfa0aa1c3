"""A bar chart of daily sales as inline SVG: drawn on the server, no script, no CDN.

The chart scales to its box (``viewBox`` and ``width: 100%``); each bar has
a ``<title>`` so hovering shows the day's figure, and the text alternative
(``aria-label``) gives the period's total for screen readers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.html import format_html, format_html_join

from kernel.display import money_display

WIDTH, HEIGHT, AXIS, HEADROOM = 720, 160, 20, 14


def daily_sales_chart(*, days: list[date], amounts: list[Decimal], currency: str) -> str:
    """One bar per day of ``days`` (oldest first), ``amounts[i]`` high, in ``currency``."""
    top = max(amounts, default=Decimal(0)) or Decimal(1)
    step = WIDTH / max(len(days), 1)
    plot = HEIGHT - AXIS - HEADROOM
    bars = []
    for index, (day, amount) in enumerate(zip(days, amounts, strict=True)):
        height = float(amount / top) * plot
        bars.append(
            (
                f"{index * step + 1:.1f}",
                f"{HEADROOM + plot - height:.1f}",
                f"{step - 2:.1f}",
                f"{height:.1f}",
                f"{day:%a %d %b}: {money_display(amount, currency)}",
            )
        )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-label">{}</text>',
        (
            (f"{index * step + 1:.1f}", HEIGHT - 4, f"{day:%d %b}")
            for index, day in enumerate(days)
            if index % 7 == 0
        ),
    )
    total = money_display(sum(amounts, Decimal(0)), currency)
    return format_html(
        '<svg class="sales-chart" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<text x="2" y="10" class="chart-label">best day: {}</text>{}{}</svg>',
        WIDTH,
        HEIGHT,
        f"Daily sales in {currency} over {len(days)} days, {total} in all",
        money_display(top, currency),
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"><title>{}</title></rect>',
            bars,
        ),
        labels,
    )
