"""Shipping methods and their prices: a table staff edit in the admin.

Which methods the shop offers, at what price and to which countries is a
business decision staff make, so it is data (``ShippingMethod``), seeded
with the standard and express methods by a migration so that checkout works
on a fresh database.

Two kinds: ``flat`` (one price) and ``weight`` (a base price plus a price
per started kilogram), either with ``free_over`` (free when the goods cost
at least that much, after discounts). The catalog keeps no weights yet, so
every item weighs ``ORDERS_DEFAULT_ITEM_WEIGHT_KG``. Amounts are in the
order's currency (the same figures for EUR, GBP and USD) and are the charge
as shown: checkout adds it to the goods' quote (``pricing.api.with_shipping``),
which taxes it like the goods (inside it when prices include tax, on top otherwise;
docs/orders.md).

Reads are one query each: checkout lists the methods once per page and
looks the chosen one up once per step; the table has a handful of rows.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from kernel.money import Money
from orders.dtos import ShippingChoice

COUNTRY = re.compile(r"^[A-Z]{2}$")

#: The methods a new shop starts with (those checkout offered when they were code).
DEFAULT_METHODS = [
    {
        "code": "standard",
        "name": "Standard (3-5 days)",
        "kind": "flat",
        "price": Decimal("4.90"),
        "free_over": Decimal("50"),
        "position": 10,
    },
    {
        "code": "express",
        "name": "Express (1-2 days)",
        "kind": "weight",
        "price": Decimal("7.90"),
        "per_kg": Decimal("1.50"),
        "position": 20,
    },
]


def _amount(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))], **kwargs
    )


class ShippingMethod(models.Model):
    class Kind(models.TextChoices):
        FLAT = "flat", "Flat price"
        WEIGHT = "weight", "Base price plus a price per started kg"

    code = models.SlugField(max_length=40, unique=True, help_text="Kept on carts; never reused.")
    name = models.CharField(
        max_length=80, help_text="As shoppers see it, e.g. 'Express (1-2 days)'."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FLAT)
    price = _amount()
    per_kg = _amount(default=Decimal(0), help_text="Weight kind only: per started kilogram.")
    free_over = _amount(
        null=True, blank=True, help_text="Free when the goods cost at least this (after discounts)."
    )
    countries = models.CharField(
        max_length=300,
        blank=True,
        help_text="ISO codes separated by commas (DE, AT, FR); empty: every country.",
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Checkout lists low first.")

    class Meta:
        app_label = "orders"
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0) & Q(per_kg__gte=0), name="shipping_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind="weight") | Q(per_kg=0), name="shipping_per_kg_only_by_weight"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        codes = [code.strip().upper() for code in self.countries.split(",") if code.strip()]
        wrong = [code for code in codes if not COUNTRY.match(code)]
        if wrong:
            raise ValidationError({"countries": f"Not ISO country codes: {', '.join(wrong)}."})
        self.countries = ", ".join(dict.fromkeys(codes))
        if self.kind == self.Kind.WEIGHT and not self.per_kg:
            raise ValidationError({"per_kg": "A weight-based method needs a price per kg."})
        if self.kind == self.Kind.FLAT and self.per_kg:
            raise ValidationError({"per_kg": "A flat method has no price per kg."})

    @property
    def country_codes(self) -> set[str]:
        return {code.strip() for code in self.countries.split(",") if code.strip()}

    def serves(self, country: str | None) -> bool:
        return not self.countries or country is None or country in self.country_codes

    def price_for(self, *, goods_total: Money, item_count: int) -> Money:
        """What shipping costs for goods worth ``goods_total`` and ``item_count`` items."""
        if self.free_over is not None and goods_total.amount >= self.free_over:
            return Money.zero(goods_total.currency)
        amount = self.price
        if self.kind == self.Kind.WEIGHT:
            weight = Decimal(settings.ORDERS_DEFAULT_ITEM_WEIGHT_KG) * item_count
            amount += self.per_kg * math.ceil(weight)
        return Money(amount, goods_total.currency).rounded()


def seed_default_methods(model=None) -> None:
    """Give an empty table the default methods (``model``: a migration's historical one).

    Run by the data migration on a fresh database, and after every
    ``migrate`` or ``flush`` (post_migrate, as Django re-creates its content
    types): a flushed database (``manage.py flush``, transactional tests)
    would otherwise have no way to check out. A table staff filled is left
    alone; methods are deactivated, never deleted.
    """
    model = model or ShippingMethod
    if not model.objects.exists():
        model.objects.bulk_create(model(**fields) for fields in DEFAULT_METHODS)


def methods(*, country: str | None = None) -> list[ShippingMethod]:
    """The active methods (serving ``country``, when given), in checkout's order."""
    return [m for m in ShippingMethod.objects.filter(is_active=True) if m.serves(country)]


def method(code: str, *, country: str | None = None) -> ShippingMethod | None:
    """The active method ``code`` if it serves ``country`` (when given); else None."""
    found = ShippingMethod.objects.filter(code=code, is_active=True).first()
    return found if found is not None and found.serves(country) else None


def choices(*, country: str, goods_total: Money, item_count: int) -> list[ShippingChoice]:
    """What each method serving ``country`` charges for these goods, in checkout's order."""
    return [
        ShippingChoice(
            code=m.code,
            name=m.name,
            price=m.price_for(goods_total=goods_total, item_count=item_count),
        )
        for m in methods(country=country)
    ]
