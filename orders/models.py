"""Orders' tables. Private: no other context reads them.

An order refers to its customer by ``customer_id`` (None for a guest) and
to products by SKU, and keeps a snapshot of everything that was true when
it was placed: titles, unit prices, tax, the experiment variant, the
addresses. The catalog, price list or address book may change afterwards;
the order does not.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.display import money_display
from kernel.money import Money
from orders.fields import amount_field


class OrderStatus(models.TextChoices):
    """An order's status; its label is what the shopper reads, in their language."""

    PENDING_PAYMENT = "pending_payment", _("Pending payment")
    PAID = "paid", _("Paid")
    PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


class PaymentState(models.TextChoices):
    """Where the order's money stands, whatever its fulfilment (see `orders.states`)."""

    PENDING = "pending", "Pending"
    AUTHORIZED = "authorized", "Authorized"
    PAID = "paid", "Paid"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


class FulfilmentState(models.TextChoices):
    """Where the order's goods stand, whatever its money (see `orders.states`)."""

    UNFULFILLED = "unfulfilled", "Unfulfilled"
    PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class Order(models.Model):
    number = models.CharField(max_length=20, unique=True, editable=False)
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    email = models.EmailField()
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    currency = models.CharField(max_length=3)
    subtotal = amount_field()
    discount_total = amount_field()
    shipping_total = amount_field()
    tax_total = amount_field()
    grand_total = amount_field()
    refunded_total = amount_field()
    prices_include_tax = models.BooleanField(default=True)
    shipping_method = models.CharField(max_length=80, blank=True)
    shipping_address = models.JSONField()
    billing_address = models.JSONField()
    voucher_codes = models.JSONField(default=list, blank=True)
    placed_at = models.DateTimeField(default=timezone.now, db_index=True)
    language = models.CharField(
        max_length=8,
        default="en",
        help_text="The page's language when the order was placed: its e-mails are written in it.",
    )
    delivered_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was marked delivered: a later partial refund keeps it delivered.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["status", "placed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(grand_total__gte=0), name="order_total_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(refunded_total__gte=0) & Q(refunded_total__lte=F("grand_total")),
                name="order_refunds_within_total",
            ),
        ]
        permissions = [
            ("capture_payment", "Can capture an order's payments"),
            ("ship_order", "Can ship orders"),
            ("cancel_order", "Can cancel orders"),
            ("refund_order", "Can refund orders"),
        ]

    def __str__(self) -> str:
        return self.number

    def money(self, amount: Decimal) -> Money:
        return Money(amount, self.currency).rounded()

    @property
    def grand_total_money(self) -> Money:
        return self.money(self.grand_total)

    @property
    def refundable(self) -> Money:
        return self.money(self.grand_total - self.refunded_total)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    sku = models.CharField("SKU", max_length=64)
    title = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    shipped_quantity = models.PositiveIntegerField(default=0)
    cancelled_quantity = models.PositiveIntegerField(
        default=0, help_text="Units taken off the order before they shipped; never to ship."
    )
    unit_price = amount_field()
    line_total = amount_field()
    tax_rate = models.DecimalField(max_digits=6, decimal_places=4, default=Decimal(0))
    tax = amount_field()
    experiment_variant = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="one_line_per_position"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(shipped_quantity__lte=F("quantity") - F("cancelled_quantity")),
                name="ship_at_most_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title} ({self.sku})"

    @property
    def unshipped_quantity(self) -> int:
        """Units still to ship: ordered, less shipped, less cancelled."""
        return self.quantity - self.shipped_quantity - self.cancelled_quantity


class OrderTransition(models.Model):
    """One status change: who made it, when, and why. Written only by `lifecycle.transition`."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    actor = models.CharField(max_length=150, help_text="e.g. customer:12, staff:3 (alice), system")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} {self.from_status or '∅'} → {self.to_status}"


class OrderNote(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notes")
    author = models.CharField(max_length=150)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.order} by {self.author}"


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    tracking_number = models.CharField(max_length=80, blank=True)
    carrier = models.CharField(max_length=80, blank=True)
    shipped_at = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=150)

    class Meta:
        ordering = ["order", "shipped_at", "id"]

    def __str__(self) -> str:
        return f"Shipment {self.pk} of {self.order}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="shipment_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.order_line.sku}"


class Payment(models.Model):
    """One payment attempt for an order, as the provider reported it.

    No card data: the provider's reference plus brand and last four digits
    for the shopper's and staff's recognition.
    """

    class Status(models.TextChoices):
        # Labels are what the shopper reads on the order page, in their language.
        PENDING = "pending", _("Awaiting funds")  # bank transfer, cash on delivery
        REQUIRES_ACTION = "requires_action", _("Requires action")  # 3-D Secure
        AUTHORIZED = "authorized", _("Authorized")
        CAPTURED = "captured", _("Captured")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
        REFUNDED = "refunded", _("Refunded")
        VOIDED = "voided", _("Voided")
        FAILED = "failed", _("Failed")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    provider = models.CharField(max_length=30)
    reference = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    currency = models.CharField(max_length=3)
    amount = amount_field()
    captured_amount = amount_field()
    refunded_amount = amount_field()
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    next_action = models.CharField(
        max_length=300, blank=True, help_text="What the shopper must do: confirm, transfer money."
    )
    attempt_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="The client's key for this attempt: a repeated attempt gets this payment back.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"],
                condition=~Q(reference=""),
                name="one_payment_per_provider_reference",
            ),
            models.UniqueConstraint(
                fields=["order", "attempt_key"],
                condition=~Q(attempt_key=""),
                name="one_payment_per_attempt",
            ),
            models.CheckConstraint(
                condition=Q(captured_amount__lte=F("amount"))
                & Q(refunded_amount__lte=F("captured_amount")),
                name="payment_amounts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.reference or self.pk} ({self.status})"

    @property
    def method(self) -> str:
        """How the shopper paid, in the active language: the card, or the provider's name."""
        if self.card_last4:
            return f"{self.card_brand.title()} •••• {self.card_last4}"
        # Deferred: the providers import this module (they create payments).
        from orders.providers import PROVIDERS

        provider = PROVIDERS.get(self.provider)
        return str(provider.label) if provider else self.provider.replace("_", " ").capitalize()


class PaymentRefund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="refunds")
    amount = amount_field()
    reference = models.CharField(max_length=80, blank=True)
    reason = models.TextField(blank=True)
    actor = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["payment", "created_at", "id"]

    def __str__(self) -> str:
        return f"Refund {money_display(self.amount, self.payment.currency)} on {self.payment}"


class ProcessedWebhook(models.Model):
    """A provider's webhook event id, handled at most once."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="handle_webhook_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class SandboxCharge(models.Model):
    """The sandbox provider's own ledger: what a real provider keeps on its side.

    It is what lets the sandbox refuse a capture beyond the authorised amount
    or a refund beyond the captured one, like a real provider does.
    """

    reference = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=20)
    failure_reason = models.CharField(max_length=40, blank=True)
    currency = models.CharField(max_length=3)
    amount = amount_field()
    captured = amount_field()
    refunded = amount_field()
    action_token = models.CharField(max_length=40, blank=True)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"sandbox {self.reference} ({self.status})"


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` with the outcome of its first request (see idempotency)."""

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", "In flight"
        DONE = "done", "Done"

    scope = models.CharField(max_length=80, help_text="Whose key: user:<id> or session:<key>.")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_content_type = models.CharField(max_length=100, blank=True)
    response_bytes = models.BinaryField(
        null=True, blank=True, help_text="The body exactly as sent, replayed byte for byte."
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_key_per_scope")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} ({self.state})"


class SentNotification(models.Model):
    """An e-mail already sent, so a redelivered event or task sends nothing twice."""

    kind = models.CharField(max_length=30)
    reference = models.CharField(max_length=80)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference"], name="send_notification_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


# Models of the sub-packages, imported here so Django finds them (app label
# "orders") and callers keep one place to import every orders model from.
from orders.cart.models import Cart, CartLine  # noqa: E402, F401
from orders.checkout.models import CompensationFailure, PlacedCheckout  # noqa: E402, F401
from orders.shipping import ShippingMethod  # noqa: E402, F401
