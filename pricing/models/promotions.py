"""Promotions: discount rules, what they target and their volume tiers."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pricing.models.fields import (
    CURRENCY_CHOICES,
    amount_field,
    check_minor_units,
    window_ordered,
)


class Promotion(models.Model):
    """A discount rule: what it takes off, on what, when, and how it stacks.

    Stacking (docs/pricing.md): promotions are tried in priority order
    (highest first). An *exclusive* promotion applies only to a line (or
    order) nothing has discounted yet, and nothing applies after it; a
    *combinable* one applies on top of other combinable ones, each on what is
    left of the amount.
    """

    class Kind(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage off"
        FIXED = "fixed", "Fixed amount off (per unit, or off the order)"
        BUY_X_GET_Y = "buy_x_get_y", "Buy X, get Y free"
        TIERED = "tiered", "Tiered volume discount"

    class Scope(models.TextChoices):
        LINES = "lines", "Targeted lines (SKUs, products, categories)"
        ORDER = "order", "Whole order"

    class Stacking(models.TextChoices):
        EXCLUSIVE = "exclusive", "Exclusive: nothing else on the same amount"
        COMBINABLE = "combinable", "Combinable with other combinable promotions"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    reason = models.CharField(
        max_length=200, help_text='What the shopper reads, e.g. "10 % off all coffee".'
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.LINES)
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    amount = amount_field(null=True, blank=True)
    currency = models.CharField(
        max_length=3, choices=CURRENCY_CHOICES, blank=True, help_text="Of a fixed amount."
    )
    buy_quantity = models.PositiveIntegerField(null=True, blank=True)
    get_quantity = models.PositiveIntegerField(null=True, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    priority = models.IntegerField(default=0, help_text="Higher is tried first.")
    stacking = models.CharField(
        max_length=10, choices=Stacking.choices, default=Stacking.COMBINABLE
    )
    requires_voucher = models.BooleanField(
        default=False, help_text="Applies only when one of its voucher codes is entered."
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "id"]
        constraints = [window_ordered("starts_at", "ends_at", name="promotion_window_ordered")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == self.Kind.PERCENTAGE and self.percent is None:
            errors["percent"] = "A percentage discount needs a percentage."
        if self.kind == self.Kind.FIXED:
            if self.amount is None:
                errors["amount"] = "A fixed discount needs an amount."
            if not self.currency:
                errors["currency"] = "A fixed amount needs its currency."
            else:
                try:
                    check_minor_units(self.amount, self.currency, "amount")
                except ValidationError as exc:
                    errors.update({k: v[0] for k, v in exc.message_dict.items()})
        if self.kind == self.Kind.BUY_X_GET_Y and not (self.buy_quantity and self.get_quantity):
            errors["buy_quantity"] = "Buy X get Y needs both quantities (at least 1)."
        if self.scope == self.Scope.ORDER and self.kind not in (
            self.Kind.PERCENTAGE,
            self.Kind.FIXED,
        ):
            errors["scope"] = "Only percentage and fixed discounts apply to a whole order."
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "Must be after the start."
        if errors:
            raise ValidationError(errors)


class PromotionTarget(models.Model):
    """One thing a line promotion applies to: a SKU, a product (by its SKU) or a category."""

    class Kind(models.TextChoices):
        SKU = "sku", "SKU"
        PRODUCT = "product", "Product (its SKU; covers every variant)"
        CATEGORY = "category", "Category slug (covers its subcategories)"

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=140)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "kind", "value"], name="one_target_per_promotion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class PromotionTier(models.Model):
    """A step of a tiered promotion: from ``min_quantity`` units of a line, ``percent`` off."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="tiers")
    min_quantity = models.PositiveIntegerField(validators=[MinValueValidator(2)])
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["promotion", "min_quantity"], name="one_tier_per_step")
        ]

    def __str__(self) -> str:
        return f"from {self.min_quantity}: {self.percent} %"
