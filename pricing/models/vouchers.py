"""Voucher codes that unlock a promotion, and the orders that used them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from pricing.models.fields import CURRENCY_CHOICES, amount_field
from pricing.models.promotions import Promotion


class Voucher(models.Model):
    """A code that unlocks a promotion, with its own limits.

    ``times_used`` counts unreleased redemptions; a conditional UPDATE on it
    (and the CHECK below) is what stops two checkouts taking the last use.
    """

    code = models.CharField(max_length=40, unique=True)
    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="vouchers")
    usage_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="Total uses; empty for no limit."
    )
    per_customer_limit = models.PositiveIntegerField(null=True, blank=True)
    min_order_amount = amount_field(null=True, blank=True)
    min_order_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    batch = models.CharField(max_length=60, blank=True, help_text="Bulk generation label.")
    times_used = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(times_used__lte=F("usage_limit")),
                name="voucher_not_overused",
            ),
            models.CheckConstraint(condition=Q(times_used__gte=0), name="voucher_uses_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.code = normalize_code(self.code)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Before the uniqueness check (full_clean runs clean first): "abc" clashes with "ABC".
        self.code = normalize_code(self.code or "")
        if self.min_order_amount is not None and not self.min_order_currency:
            raise ValidationError({"min_order_currency": "A minimum order needs its currency."})
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": "Must be after the start of validity."})


def normalize_code(code: str) -> str:
    """Codes are matched without regard to case or surrounding spaces."""
    return code.strip().upper()


class VoucherRedemption(models.Model):
    """A voucher used by an order; released (not deleted) when the order is cancelled."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    order_ref = models.CharField(max_length=64, db_index=True)
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    redeemed_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-redeemed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "order_ref"], name="one_redemption_per_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voucher.code} by order {self.order_ref}"
