"""Recommendations's tables. Private: no other context reads them.

Everything here is this context's own copy of what other contexts announced
(catalog, pricing, inventory and orders events), so a recommendation is
computed without calling anyone: the page that asks is already waiting.

- ``ProductProfile`` and ``ProductTag``: what the catalog said about each
  product, with the tags "similar products" compare (category, brand,
  attribute value, price band), each with its weight.
- ``SkuState``: per SKU, its product, its sellable quantity and its price.
- ``OrderBasket``: the products of every order seen, and whether it was
  cancelled: the source the full recompute reads (this context may not read
  orders' tables).
- ``CoPurchase``: in how many (not cancelled) orders two products were
  bought together, kept in both directions.
- ``Override``: staff pinning or blocking one product on another's page.
- ``RecentView``: the last products a visitor looked at.
"""

from __future__ import annotations

from django.db import models


class ProductProfile(models.Model):
    """One product as the catalog last announced it."""

    class Status(models.TextChoices):
        PUBLISHED = "published"
        HIDDEN = "hidden", "Not published (draft or scheduled)"
        ARCHIVED = "archived"

    product_id = models.BigIntegerField(primary_key=True)
    sku = models.CharField("SKU", max_length=64)
    slug = models.CharField(max_length=255)
    title = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HIDDEN)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["product_id"]

    def __str__(self) -> str:
        return f"{self.sku} {self.title}"


class ProductTag(models.Model):
    """A property two products can share, e.g. ``cat:pans``, ``brand:acme``, ``band:7``."""

    product = models.ForeignKey(ProductProfile, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "tag"], name="one_tag_per_product")
        ]
        indexes = [models.Index(fields=["tag"])]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.tag} ({self.weight})"


class SkuState(models.Model):
    """One sellable SKU: its product, sellable quantity and price, as last announced.

    ``quantity`` None: inventory never said (not sellable). Each part keeps
    the time of the event it came from, so late deliveries are dropped.
    """

    sku = models.CharField("SKU", max_length=64, primary_key=True)
    product_id = models.BigIntegerField(null=True, db_index=True)
    quantity = models.IntegerField(null=True)
    stock_changed_at = models.DateTimeField(null=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    price_changed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.sku


class OrderBasket(models.Model):
    """The products of one order, as orders announced it; ``cancelled`` drops it from counts.

    A cancellation can arrive before its order (any delivery order): the
    basket is then stored cancelled and empty, and the order's products,
    when they come, are never counted.
    """

    order_number = models.CharField(max_length=64, primary_key=True)
    product_ids = models.JSONField(default=list)
    placed_at = models.DateTimeField(null=True)
    cancelled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.order_number


class CoPurchase(models.Model):
    """``orders``: how many live orders held both ``product_id`` and ``other_id``."""

    product_id = models.BigIntegerField()
    other_id = models.BigIntegerField()
    orders = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product_id", "other_id"], name="one_pair_count")
        ]
        indexes = [models.Index(fields=["product_id", "-orders"])]

    def __str__(self) -> str:
        return f"{self.product_id} + {self.other_id}: {self.orders} orders"


class Override(models.Model):
    """Staff's word on one suggestion: always show ``target`` on ``product``'s page, or never."""

    class Action(models.TextChoices):
        PIN = "pin", "Pin (always show first)"
        BLOCK = "block", "Block (never show)"

    product_id = models.BigIntegerField(help_text="The product whose page this is about.")
    target_id = models.BigIntegerField(help_text="The product pinned or blocked on it.")
    action = models.CharField(max_length=5, choices=Action.choices)
    position = models.PositiveSmallIntegerField(default=0, help_text="Pins: lower first.")

    class Meta:
        ordering = ["product_id", "position", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_id", "target_id"], name="one_override_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.target_id} on {self.product_id}"


class RecentView(models.Model):
    """A visitor looked at a product; only the newest few per visitor are kept."""

    visitor_id = models.CharField(max_length=32)
    product_id = models.BigIntegerField()
    viewed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["visitor_id", "product_id"], name="one_view_per_product"
            )
        ]
        indexes = [models.Index(fields=["visitor_id", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.visitor_id} viewed {self.product_id}"
