"""The cart's tables: what a shopper is about to buy (quantities only; prices come from pricing)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from orders.fields import amount_field


class Cart(models.Model):
    """A shopper's basket: SKUs and quantities, never prices to charge.

    Anonymous carts are found by their secret ``token`` (kept in the session
    or sent by the app); a customer has at most one cart (``customer_id``).
    ``visitor_id`` is the pricing experiment key of an anonymous shopper, so
    the cart and checkout see the same variant prices. The checkout fields
    hold what the shopper entered on the way to placing the order.
    """

    token = models.CharField(max_length=64, unique=True)
    customer_id = models.BigIntegerField(null=True, blank=True, unique=True)
    currency = models.CharField(max_length=3)
    visitor_id = models.CharField(max_length=64, blank=True)
    voucher_codes = models.JSONField(default=list, blank=True)
    email = models.EmailField(blank=True)
    shipping_address = models.JSONField(null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)
    shipping_method = models.CharField(max_length=30, blank=True)
    reviewed_total = models.DecimalField(
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="The total shown on the review step; placing refuses another one.",
    )
    placing_token = models.CharField(
        max_length=64,
        blank=True,
        help_text="The final step's form token while its order is being placed.",
    )
    placing_claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When placing_token was claimed: an older claim than "
        "ORDERS_PLACING_CLAIM_TIMEOUT was left by a dead process and may be taken over.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"cart {self.pk}"

    @property
    def reservation_owner(self) -> str:
        """Inventory's name for this cart's holds."""
        return f"cart:{self.pk}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField("SKU", max_length=64)
    quantity = models.PositiveIntegerField()
    added_unit_price = amount_field(
        help_text="The unit price when the line was added, to tell the shopper it changed."
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cart", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "sku"], name="one_cart_line_per_sku"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"
