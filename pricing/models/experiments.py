"""Pricing experiments: their variants, the orders demand is counted from, exposures and sales."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pricing.models.fields import CURRENCY_CHOICES, amount_field


class Experiment(models.Model):
    """A pricing experiment on a category or a set of SKUs.

    Only a running experiment changes prices; a draft or stopped one leaves
    every shopper on the base price.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        RUNNING = "running", "Running"
        STOPPED = "stopped", "Stopped"

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Also the salt of the assignment hash."
    )
    category_slug = models.SlugField(
        max_length=140, blank=True, help_text="Target a category (and its subcategories)..."
    )
    skus = models.JSONField(default=list, blank=True, help_text="...or a list of SKUs.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.category_slug and not self.skus:
            raise ValidationError("Target a category or at least one SKU.")
        if not isinstance(self.skus, list) or not all(isinstance(s, str) for s in self.skus):
            raise ValidationError({"skus": 'A list of SKUs, e.g. ["CT-0001", "CT-0002"].'})


class ExperimentVariant(models.Model):
    """One arm of an experiment, with its share of traffic and its price rule."""

    class Rule(models.TextChoices):
        BASE = "base", "Base price (control)"
        PERCENT = "percent", "Base price adjusted by a percentage"
        DEMAND = "demand", "Demand-based: adjusted when recent demand is high"

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="variants")
    key = models.SlugField(max_length=40, help_text='Recorded on quotes, e.g. "plus-5".')
    weight = models.PositiveIntegerField(help_text="Share of traffic, relative to the others.")
    rule = models.CharField(max_length=10, choices=Rule.choices, default=Rule.BASE)
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-50)), MaxValueValidator(Decimal(50))],
        help_text="+5 for 5 % dearer, -5 for 5 % cheaper.",
    )
    demand_threshold = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=(
            "Units sold in the demand window (PRICING_DEMAND_WINDOW_DAYS) from which"
            " the percentage applies."
        ),
    )

    class Meta:
        ordering = ["experiment", "key"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "key"], name="one_variant_key")
        ]

    def __str__(self) -> str:
        return f"{self.experiment.slug}/{self.key}"

    def clean(self) -> None:
        if self.rule in (self.Rule.PERCENT, self.Rule.DEMAND) and self.percent is None:
            raise ValidationError({"percent": "This rule needs a percentage."})
        if self.rule == self.Rule.DEMAND and self.demand_threshold is None:
            raise ValidationError({"demand_threshold": "The demand rule needs a threshold."})


class DemandOrder(models.Model):
    """An order as pricing heard of it from orders' events: what demand rules count.

    Demand is the units of a SKU in orders placed within the last
    ``PRICING_DEMAND_WINDOW_DAYS`` and not cancelled. A cancellation may be
    delivered before its order: the row is then created cancelled, without
    ``placed_at``, and the order's lines, when they come, never count.
    """

    order_ref = models.CharField(max_length=64, primary_key=True)
    placed_at = models.DateTimeField(null=True, db_index=True)
    cancelled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.order_ref


class DemandLine(models.Model):
    """Units of one SKU in one order (its lines for that SKU added up)."""

    order = models.ForeignKey(DemandOrder, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField("SKU", max_length=64, db_index=True)
    units = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "sku"], name="one_demand_line_per_sku")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.units} x {self.sku}"


class ExperimentSale(models.Model):
    """A sold order line priced in an experiment variant: the basis of the results."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="sales")
    variant_key = models.CharField(max_length=40)
    order_ref = models.CharField(max_length=64)
    sku = models.CharField("SKU", max_length=64)
    quantity = models.PositiveIntegerField()
    revenue = amount_field()
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    sold_at = models.DateTimeField()

    class Meta:
        ordering = ["-sold_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "order_ref", "sku"], name="one_sale_per_order_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.experiment.slug}/{self.variant_key}: {self.order_ref} {self.sku}"


class ExperimentExposure(models.Model):
    """A shopper was quoted a price in a variant: the denominator of its conversion rate.

    One row per shopper and variant; the shopper is stored as a hash of
    their key (customer or visitor id), never the id itself.
    """

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="exposures")
    variant_key = models.CharField(max_length=40)
    shopper_hash = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-first_seen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "variant_key", "shopper_hash"],
                name="one_exposure_per_shopper",
            )
        ]

    def __str__(self) -> str:
        return f"{self.experiment.slug}/{self.variant_key}: {self.shopper_hash[:8]}"
