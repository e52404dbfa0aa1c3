"""Where a SKU sits in the catalog, as pricing knows it from catalog events."""

from __future__ import annotations

from django.db import models


class SkuPlacement(models.Model):
    """Pricing's copy of where a SKU sits in the catalog, kept from catalog events.

    Promotions and experiments target products and categories through this
    table, never by joining catalog's tables.
    """

    sku = models.CharField("SKU", max_length=64, unique=True)
    product_id = models.BigIntegerField(db_index=True)
    product_sku = models.CharField(max_length=64, db_index=True)
    category_slugs = models.JSONField(default=list)
    brand = models.CharField(max_length=120, blank=True)
    #: The catalog's ``changed_at`` of the announcement these rows were written
    #: from; an older announcement delivered later is ignored.
    source_changed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku} in {', '.join(self.category_slugs) or 'no category'}"
