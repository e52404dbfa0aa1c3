"""Inventory's tables. Private: no other context reads them."""

from django.db import models


class StockLevel(models.Model):
    """Units of ``sku`` on hand. The database refuses a negative quantity."""

    sku = models.CharField("SKU", max_length=64, unique=True)
    quantity = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.sku}: {self.quantity}"
