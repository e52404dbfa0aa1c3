"""Tax: whether a currency's prices include tax, rates by country and class, SKU classes."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from pricing.models.fields import CURRENCY_CHOICES

DEFAULT_TAX_CLASS = "standard"


class CurrencyTaxMode(models.Model):
    """Whether prices in a currency include tax (EU style) or exclude it (US style).

    A currency without a row is tax-inclusive: the shopper-friendly default.
    """

    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, unique=True)
    prices_include_tax = models.BooleanField(default=True)

    class Meta:
        ordering = ["currency"]

    def __str__(self) -> str:
        return f"{self.currency}: {'incl.' if self.prices_include_tax else 'excl.'} tax"


class TaxRate(models.Model):
    """The rate of a tax class (standard, reduced, ...) in a country."""

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. DE.")
    tax_class = models.SlugField(max_length=30, default=DEFAULT_TAX_CLASS)
    rate = models.DecimalField(
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="A fraction: 0.19 for 19 %.",
    )

    class Meta:
        ordering = ["country", "tax_class"]
        constraints = [
            models.UniqueConstraint(fields=["country", "tax_class"], name="one_rate_per_class"),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="tax_rate_is_a_fraction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.tax_class}: {(self.rate * 100).normalize():f} %"

    def save(self, *args, **kwargs):
        self.country = self.country.upper()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Before the uniqueness check (full_clean runs clean first): "de" is "DE".
        self.country = (self.country or "").upper()
        if not (len(self.country) == 2 and self.country.isalpha()):
            raise ValidationError({"country": "Two letters, e.g. DE."})


class SkuTaxClass(models.Model):
    """The tax class of a SKU; SKUs without a row are in the standard class."""

    sku = models.CharField("SKU", max_length=64, unique=True)
    tax_class = models.SlugField(max_length=30)

    class Meta:
        verbose_name = "SKU tax class"
        verbose_name_plural = "SKU tax classes"
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku}: {self.tax_class}"
