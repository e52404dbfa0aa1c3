"""Shipping methods and their prices (``METHODS``).

The table is the orders context's own, in code: which methods the shop
offers is a business decision that ships with a release, like a price
rule, not a setting of one deployment.

Three kinds: ``flat`` (one price), ``weight`` (a base price plus a price
per started kilogram) and either with ``free_over`` (free when the goods
cost at least that much, after discounts). The catalog keeps no weights
yet, so every item weighs ``ORDERS_DEFAULT_ITEM_WEIGHT_KG``. Amounts are in
the order's currency (the same figures for EUR, GBP and USD) and are the
charge as shown: checkout hands it to ``pricing.api.quote(shipping=)``,
which taxes it like the goods (inside it when prices include tax, on top
otherwise; docs/orders.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from kernel.money import Money


@dataclass(frozen=True, slots=True)
class ShippingMethod:
    code: str
    name: str
    kind: str  # "flat" | "weight"
    price: Decimal
    per_kg: Decimal = Decimal(0)
    free_over: Decimal | None = None

    def price_for(self, *, goods_total: Money, item_count: int) -> Money:
        """What shipping costs for goods worth ``goods_total`` and ``item_count`` items."""
        if self.free_over is not None and goods_total.amount >= self.free_over:
            return Money.zero(goods_total.currency)
        amount = self.price
        if self.kind == "weight":
            weight = Decimal(settings.ORDERS_DEFAULT_ITEM_WEIGHT_KG) * item_count
            amount += self.per_kg * math.ceil(weight)
        return Money(amount, goods_total.currency).rounded()


#: The methods offered, in the order checkout lists them.
METHODS: tuple[ShippingMethod, ...] = (
    ShippingMethod(
        code="standard",
        name="Standard (3-5 days)",
        kind="flat",
        price=Decimal("4.90"),
        free_over=Decimal("50"),
    ),
    ShippingMethod(
        code="express",
        name="Express (1-2 days)",
        kind="weight",
        price=Decimal("7.90"),
        per_kg=Decimal("1.50"),
    ),
)


def method(code: str) -> ShippingMethod | None:
    return next((m for m in METHODS if m.code == code), None)
