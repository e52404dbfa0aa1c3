"""Checkout's own records: which submission placed which order, and undo steps that failed."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PlacedCheckout(models.Model):
    """The order a final-step form token placed: a second submit gets the same order back.

    ``cart``: a digest of the placed cart's token (the token is a guest's only
    proof, never kept itself), so that an app placing the same cart again
    under another Idempotency-Key is told which order it became.
    """

    token = models.CharField(max_length=64, unique=True)
    order_number = models.CharField(max_length=20)
    cart = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.token[:8]}… → {self.order_number}"


class CompensationFailure(models.Model):
    """A checkout step that could not be undone: stock or a voucher use staff must free by hand.

    Checkout undoes its earlier steps when a later one fails; when undoing
    itself fails (the warehouse is down), the shopper still gets their
    refusal, the error is logged, and this row tells staff what is left
    claimed under which order number.
    """

    order_number = models.CharField(
        max_length=20, db_index=True, help_text="The number the claims were made under."
    )
    cart_id = models.BigIntegerField(null=True, blank=True)
    step = models.CharField(max_length=80, help_text="The compensation that failed.")
    error = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["resolved", "-created_at"]

    def __str__(self) -> str:
        return f"{self.step} for {self.order_number}"


# The shipping methods table lives beside its pricing rule; loaded with the models.
