"""Shipping methods and their prices (settings.ORDERS_SHIPPING_METHODS).

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


def methods() -> tuple[ShippingMethod, ...]:
    return tuple(
        ShippingMethod(
            code=spec["code"],
            name=spec["name"],
            kind=spec.get("kind", "flat"),
            price=Decimal(spec["price"]),
            per_kg=Decimal(spec.get("per_kg", "0")),
            free_over=Decimal(spec["free_over"]) if spec.get("free_over") else None,
        )
        for spec in settings.ORDERS_SHIPPING_METHODS
    )


def method(code: str) -> ShippingMethod | None:
    return next((m for m in methods() if m.code == code), None)
