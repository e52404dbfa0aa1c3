"""Tables of the outbox: events written in the publisher's transaction,
one delivery per (event, subscriber), and the inbox of processed event ids
that makes every subscriber idempotent."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import models
from django.utils import timezone


class OutboxEvent(models.Model):
    """An event, stored in the same transaction as the change it reports."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=150, db_index=True)
    payload = models.JSONField()
    occurred_at = models.DateTimeField(default=timezone.now)
    fanned_out_at = models.DateTimeField(
        null=True, blank=True, help_text="When a delivery was created for each subscriber."
    )
    metadata = models.JSONField(
        default=dict,
        blank=True,
        help_text="Where the event came from: the request id and trace context of the "
        "work that published it, carried into each delivery. Not part of the event.",
    )

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(fanned_out_at__isnull=True),
                name="outbox_event_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class DeliveryQuerySet(models.QuerySet):
    def record_success(self) -> int:
        """Mark these deliveries delivered, in one UPDATE however many (a batch's)."""
        return self.update(
            status=Delivery.Status.DELIVERED,
            attempts=models.F("attempts") + 1,
            delivered_at=timezone.now(),
            leased_until=None,
            last_error="",
        )


class Delivery(models.Model):
    """One event on its way to one subscriber, retried with backoff."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        DEAD = "dead", "Failed (gave up)"

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    leased_until = models.DateTimeField(
        null=True, blank=True, help_text="Handed to a worker; offered again after this time."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscriber"], name="one_delivery_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event.event_type} → {self.subscriber} ({self.status})"

    def record_failure(self, error: str, *, max_attempts: int, backoff: timedelta) -> None:
        self.attempts += 1
        self.last_error = error
        self.leased_until = None
        if self.attempts >= max_attempts:
            self.status = self.Status.DEAD
        else:
            self.next_attempt_at = timezone.now() + backoff


class ProcessedEvent(models.Model):
    """The inbox: an event id a subscriber has handled, at most once."""

    subscriber = models.CharField(max_length=150)
    event_id = models.UUIDField()
    processed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "event_id"], name="process_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} processed {self.event_id}"
