"""Inventory's tables. Private: no other context reads them.

Quantities live on ``Stock`` (one row per SKU per warehouse) and are only
ever changed together with a ``Movement`` row in the same transaction, so
the ledger is the history from which on-hand and allocated can be
recomputed (``manage.py inventory_audit``). The database itself refuses
negative quantities and more allocated than on hand.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Warehouse(models.Model):
    """A place stock is kept. Allocation serves lower ``priority`` numbers first."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=100)
    country = models.CharField(
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Two capital letters, e.g. DE.")],
        help_text="ISO 3166-1 alpha-2 code, e.g. DE.",
    )
    priority = models.PositiveSmallIntegerField(
        default=100, help_text="Lower numbers are allocated from first."
    )

    class Meta:
        ordering = ["priority", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Stock(models.Model):
    """Units of ``sku`` in ``warehouse``: on hand, and how many of them orders hold.

    What is left to sell is ``on_hand - allocated`` minus unexpired
    reservations (which live in their own table, so that expiry needs no
    write to this row).
    """

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stocks")
    sku = models.CharField("SKU", max_length=64, db_index=True)
    on_hand = models.IntegerField(default=0)
    allocated = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sku", "warehouse__priority", "pk"]
        verbose_name_plural = "stock"
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "sku"], name="one_stock_per_sku_warehouse"
            ),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="on_hand_not_negative"),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="allocated_not_negative"),
            models.CheckConstraint(
                condition=Q(allocated__lte=F("on_hand")), name="allocated_within_on_hand"
            ),
        ]
        permissions = [
            ("receive_stock", "Can record goods receipts"),
            ("adjust_stock", "Can adjust stock with a reason"),
            ("import_stock", "Can import stock counts from CSV"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.sku} @ {self.warehouse_id}: {self.on_hand} on hand, {self.allocated} allocated"
        )


class Reservation(models.Model):
    """A checkout's hold on units of one stock row until ``expires_at``.

    An expired reservation simply stops counting (every reader filters on
    ``expires_at``); the beat task deletes it later.
    """

    owner = models.CharField(max_length=100, db_index=True, help_text="e.g. cart:42")
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="reservations")
    sku = models.CharField("SKU", max_length=64)
    quantity = models.IntegerField()
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expires_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="reservation_quantity_positive"
            )
        ]
        indexes = [models.Index(fields=["sku", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku} for {self.owner}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Allocation(models.Model):
    """Units of one stock row promised to an order, until shipped or released."""

    order_ref = models.CharField(max_length=100, db_index=True)
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="allocations")
    sku = models.CharField("SKU", max_length=64)
    quantity = models.IntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order_ref", "stock"], name="one_allocation_per_stock"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="allocation_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku} for order {self.order_ref}"


class Movement(models.Model):
    """One line of the stock ledger: what changed on a stock row, and why.

    Summing ``on_hand_delta`` and ``allocated_delta`` over a stock row's
    movements gives its quantities; the audit command checks exactly that.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Goods receipt"
        ADJUSTMENT = "adjustment", "Adjustment"
        ALLOCATION = "allocation", "Allocation"
        RELEASE = "release", "Release of an allocation"
        SHIPMENT = "shipment", "Shipment"
        RETURN = "return", "Customer return"

    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    on_hand_delta = models.IntegerField(default=0)
    allocated_delta = models.IntegerField(default=0)
    reason = models.CharField(max_length=200, blank=True)
    reference = models.CharField(
        max_length=100, blank=True, help_text="Order, delivery note or import this came from."
    )
    actor = models.CharField(max_length=150, blank=True, help_text="Who recorded it.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(on_hand_delta=0, allocated_delta=0), name="movement_moves_something"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of stock {self.stock_id}"
