"""Pricing's tables. Private: no other context reads them.

Prices refer to products by SKU: pricing can price a SKU the catalog does
not know yet (prices are often loaded before a launch), and the catalog can
be split out without a foreign key to cut.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from commerce.shared.money import MINOR_UNITS, Money


class Price(models.Model):
    CURRENCY_CHOICES = [(code, code) for code in MINOR_UNITS]

    sku = models.CharField("SKU", max_length=64)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = models.DecimalField(
        max_digits=14, decimal_places=3, validators=[MinValueValidator(Decimal(0))]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "currency"], name="one_price_per_sku_currency"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.sku}: {self.money}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    def clean(self) -> None:
        known = self.amount is not None and self.currency in MINOR_UNITS
        if known and self.money.rounded().amount != self.amount:
            raise ValidationError(
                {"amount": f"{self.currency} has {MINOR_UNITS[self.currency]} decimal places."}
            )
