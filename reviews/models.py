"""Reviews's tables. Private: no other context reads them.

Products and customers are ids (the catalog's product id, the user's id)
with snapshots of what a review page shows (product title and slug, the
author's display name), so nothing here relates to another context's table.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from reviews.dtos import BODY_MAX, PROS_CONS_MAX, TITLE_MAX, ReviewStatus


class Review(models.Model):
    class Status(models.TextChoices):
        PENDING = ReviewStatus.PENDING, "Pending moderation"
        PUBLISHED = ReviewStatus.PUBLISHED, "Published"
        REJECTED = ReviewStatus.REJECTED, "Rejected"

    product_id = models.BigIntegerField()
    product_sku = models.CharField("product code", max_length=64)
    product_title = models.CharField(max_length=200)
    product_slug = models.CharField(max_length=220)
    customer_id = models.BigIntegerField()
    author_name = models.CharField(max_length=150)
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(max_length=BODY_MAX)
    pros = models.TextField(max_length=PROS_CONS_MAX, blank=True)
    cons = models.TextField(max_length=PROS_CONS_MAX, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.CharField(
        max_length=300, blank=True, help_text="Shown to the author in their reviews."
    )
    verified_purchase = models.BooleanField(default=False)
    helpful_count = models.PositiveIntegerField(default=0)
    not_helpful_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    staff_reply = models.TextField(max_length=BODY_MAX, blank=True)
    staff_reply_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer_id", "product_id"], name="one_review_per_customer_and_product"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["product_id", "status", "rating"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.title} ({self.product_sku})"


class Vote(models.Model):
    """A customer found a review helpful or not; one vote each, changeable."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="votes")
    customer_id = models.BigIntegerField()
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "customer_id"], name="one_vote_per_customer")
        ]

    def __str__(self) -> str:
        return f"{'helpful' if self.helpful else 'not helpful'} by {self.customer_id}"


class Report(models.Model):
    """A shopper flagged a review as inappropriate; one report each."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    customer_id = models.BigIntegerField()
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "customer_id"], name="one_report_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"report by {self.customer_id}: {self.reason}"


class Purchase(models.Model):
    """A customer received a product (from orders' ``order_delivered`` events)."""

    customer_id = models.BigIntegerField()
    sku = models.CharField(max_length=64)
    product_id = models.BigIntegerField(null=True, help_text="None: the catalog did not know it.")
    order_number = models.CharField(max_length=32, blank=True)
    delivered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer_id", "sku"], name="one_purchase_per_sku")
        ]
        indexes = [models.Index(fields=["customer_id", "product_id"])]

    def __str__(self) -> str:
        return f"{self.customer_id} received {self.sku}"


class ProductRating(models.Model):
    """A product's published reviews in numbers, kept by ``reviews.ratings``."""

    product_id = models.BigIntegerField(unique=True)
    product_sku = models.CharField("product code", max_length=64)
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text="The sum of the ratings.")
    stars_1 = models.PositiveIntegerField(default=0)
    stars_2 = models.PositiveIntegerField(default=0)
    stars_3 = models.PositiveIntegerField(default=0)
    stars_4 = models.PositiveIntegerField(default=0)
    stars_5 = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.product_sku}: {self.average} ({self.count})"

    @property
    def histogram(self) -> tuple[int, int, int, int, int]:
        return (self.stars_1, self.stars_2, self.stars_3, self.stars_4, self.stars_5)

    @property
    def average(self) -> Decimal | None:
        if not self.count:
            return None
        return (Decimal(self.total) / self.count).quantize(Decimal("0.01"), ROUND_HALF_UP)


class ModerationRule(models.Model):
    """The one moderation rule of the shop, edited by staff in the admin (a single row)."""

    auto_publish_verified = models.BooleanField(
        "auto-publish verified purchases",
        default=True,
        help_text="Publish a verified purchase's review at once unless it has a flagged word; "
        "every other review waits for a moderator.",
    )
    flagged_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line (or comma-separated), matched case-insensitively "
        "as whole words. A review containing one always waits for a moderator.",
    )
    reports_to_unpublish = models.PositiveSmallIntegerField(
        default=3,
        help_text="A published review reported by this many shoppers goes back to pending.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "moderation rule"

    def __str__(self) -> str:
        return "Moderation rule"

    @classmethod
    def current(cls) -> ModerationRule:
        rule, _ = cls.objects.get_or_create(pk=1)
        return rule

    @property
    def words(self) -> list[str]:
        parts = self.flagged_words.replace(",", "\n").splitlines()
        return [word.strip().lower() for word in parts if word.strip()]
