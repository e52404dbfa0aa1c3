"""Base prices, customer-group price lists and the history of their changes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from kernel.display import money_display
from kernel.money import Money
from pricing.models.fields import (
    CURRENCY_CHOICES,
    amount_field,
    check_minor_units,
    window_ordered,
)


class Price(models.Model):
    """The base price of a SKU in one currency, with an optional compare-at (list) price."""

    sku = models.CharField("SKU", max_length=64)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = amount_field()
    compare_at_amount = amount_field(
        null=True,
        blank=True,
        help_text="The list price shown struck through; must be above the price.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "currency"], name="one_price_per_sku_currency"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="price_not_negative"),
            models.CheckConstraint(
                condition=Q(compare_at_amount__isnull=True) | Q(compare_at_amount__gt=F("amount")),
                name="compare_at_above_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku}: {money_display(self.amount, self.currency)}"

    @property
    def money(self) -> Money:
        """The price in its currency's minor unit (stored amounts are, see ``clean``)."""
        return Money(self.amount, self.currency).rounded()

    @property
    def compare_at(self) -> Money | None:
        if self.compare_at_amount is None:
            return None
        return Money(self.compare_at_amount, self.currency).rounded()

    def clean(self) -> None:
        check_minor_units(self.amount, self.currency, "amount")
        check_minor_units(self.compare_at_amount, self.currency, "compare_at_amount")
        if (
            self.compare_at_amount is not None
            and self.amount is not None
            and self.compare_at_amount <= self.amount
        ):
            raise ValidationError({"compare_at_amount": "The compare-at price must be above it."})


class PriceChange(models.Model):
    """One change of a base or price-list price: who, when, old and new. Append-only."""

    sku = models.CharField("SKU", max_length=64, db_index=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    price_list = models.ForeignKey(
        "PriceList", null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    field = models.CharField(max_length=20, default="amount")
    old_amount = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    new_amount = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    changed_by_id = models.BigIntegerField(null=True, blank=True, help_text="User id, if a person.")
    changed_by = models.CharField(max_length=150, help_text="Who, as shown at the time.")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        old, new = (money_display(a, self.currency) for a in (self.old_amount, self.new_amount))
        return f"{self.sku} {self.field}: {old} → {new}"


class PriceList(models.Model):
    """Prices for a customer group (e.g. "wholesale"), valid within a window.

    A customer in the group pays the list's price when it is lower than the
    base price: belonging to a group never makes anything dearer.
    """

    name = models.CharField(max_length=120, unique=True)
    customer_group = models.SlugField(max_length=60, db_index=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["customer_group", "name"]
        constraints = [
            window_ordered("valid_from", "valid_until", name="price_list_window_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer_group})"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": "Must be after the start of validity."})


class PriceListEntry(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="entries")
    sku = models.CharField("SKU", max_length=64)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = amount_field()

    class Meta:
        verbose_name_plural = "price list entries"
        ordering = ["sku", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "sku", "currency"], name="one_entry_per_list_sku_currency"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="list_price_not_negative"),
        ]
        indexes = [models.Index(fields=["sku", "currency"])]

    def __str__(self) -> str:
        return f"{self.sku}: {money_display(self.amount, self.currency)}"

    def clean(self) -> None:
        check_minor_units(self.amount, self.currency, "amount")
