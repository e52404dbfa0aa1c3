"""Write use cases of reviews, each in one transaction, publishing events via the outbox.

Customers write, edit and delete their own reviews, vote on and report
others'; staff moderate and reply (admin); orders' deliveries record
purchases. Every change to what is published for a product refreshes the
product's rating in the same transaction (`reviews.ratings`), so the
numbers and the ``rating_changed`` event can never disagree with the reviews.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from catalog import api as catalog_api
from kernel.databases import atomic
from kernel.fields import visible_or_blank
from reviews import cache, moderation, ratings
from reviews.dtos import (
    BODY_MAX,
    PROS_CONS_MAX,
    RATINGS,
    TITLE_MAX,
    DuplicateReview,
    InvalidReview,
    ProductNotOnSale,
    ReviewDraft,
    ReviewForbidden,
    ReviewNotFound,
    ReviewStatus,
)
from reviews.models import ModerationRule, Purchase, Report, Review, Vote

REASON_MAX = 300


def check_draft(draft: ReviewDraft) -> ReviewDraft:
    """The draft with its texts trimmed, a text that shows nothing blank
    (``kernel.fields.visible_or_blank``), or `InvalidReview` naming every bad field."""
    errors: dict[str, str] = {}
    if type(draft.rating) is not int or draft.rating not in RATINGS:  # not True, 5.0 or "5"
        errors["rating"] = gettext("Choose a rating from 1 to 5 stars.")
    cleaned = {}
    for field, limit, required in (
        ("title", TITLE_MAX, True),
        ("body", BODY_MAX, True),
        ("pros", PROS_CONS_MAX, False),
        ("cons", PROS_CONS_MAX, False),
    ):
        value = getattr(draft, field)
        value = visible_or_blank(value) if isinstance(value, str) else ""
        if required and not value:
            errors[field] = gettext("This field is required.")
        elif len(value) > limit:
            errors[field] = gettext("At most %(limit)s characters (it has %(length)s).") % {
                "limit": limit,
                "length": len(value),
            }
        cleaned[field] = value
    if errors:
        raise InvalidReview(errors)
    return ReviewDraft(rating=draft.rating, **cleaned)


def _has_received(*, customer_id: int, product_id: int) -> bool:
    return Purchase.objects.filter(customer_id=customer_id, product_id=product_id).exists()


def _moderated(review: Review) -> None:
    """Apply the moderation rule to a new or edited review (not yet saved)."""
    texts = (review.title, review.body, review.pros, review.cons)
    status = moderation.initial_status(
        rule=ModerationRule.current(), verified=review.verified_purchase, texts=texts
    )
    review.status = status
    review.rejection_reason = ""


def _refresh_rating(review: Review) -> None:
    ratings.refresh(product_id=review.product_id, product_sku=review.product_sku)
    cache.shown_changed([review.product_id])


@atomic("reviews")
def review_create(
    *, customer_id: int, author_name: str, product_id: int, draft: ReviewDraft
) -> Review:
    """A customer's review of a product on sale; published or pending by the moderation rule."""
    draft = check_draft(draft)
    product = catalog_api.product_by_id(product_id=product_id)
    if product is None:
        raise ProductNotOnSale(product_id)
    if Review.objects.filter(customer_id=customer_id, product_id=product_id).exists():
        raise DuplicateReview(
            gettext("You have already reviewed this product; edit your review instead.")
        )
    review = Review(
        product_id=product.id,
        product_sku=product.sku,
        product_title=product.title,
        product_slug=product.slug,
        customer_id=customer_id,
        author_name=author_name.strip()[:150] or "Customer",
        rating=draft.rating,
        title=draft.title,
        body=draft.body,
        pros=draft.pros,
        cons=draft.cons,
        verified_purchase=_has_received(customer_id=customer_id, product_id=product_id),
    )
    _moderated(review)
    try:
        with atomic("reviews"):  # a savepoint: two tabs submitting at once
            review.save(force_insert=True)
    except IntegrityError as clash:
        raise DuplicateReview(gettext("You have already reviewed this product.")) from clash
    _refresh_rating(review)
    return review


def _own_review(*, customer_id: int, review_id: int) -> Review:
    review = (
        Review.objects.select_for_update().filter(pk=review_id, customer_id=customer_id).first()
    )
    if review is None:
        raise ReviewNotFound(f"You have no review with id {review_id}.")
    return review


@atomic("reviews")
def review_update(*, customer_id: int, review_id: int, draft: ReviewDraft) -> Review:
    """The author edits their review; it goes through the moderation rule again."""
    draft = check_draft(draft)
    review = _own_review(customer_id=customer_id, review_id=review_id)
    for field in ("rating", "title", "body", "pros", "cons"):
        setattr(review, field, getattr(draft, field))
    _moderated(review)
    review.save()
    _refresh_rating(review)
    return review


@atomic("reviews")
def review_delete(*, customer_id: int, review_id: int) -> None:
    review = _own_review(customer_id=customer_id, review_id=review_id)
    review.delete()
    _refresh_rating(review)


@atomic("reviews")
def reviews_remove(*, review_ids: list[int]) -> int:
    """Staff delete reviews (the admin's delete, one or many): each product's rating and
    cached pages follow, as after a customer's own delete. How many were deleted."""
    reviews = list(Review.objects.select_for_update().filter(pk__in=review_ids))
    for review in reviews:
        review.delete()
    for product_id, product_sku in {(r.product_id, r.product_sku) for r in reviews}:
        ratings.refresh(product_id=product_id, product_sku=product_sku)
    cache.shown_changed(list({review.product_id for review in reviews}))
    return len(reviews)


def _published_review(review_id: int, *, reported_by: int | None = None) -> Review:
    """The review, locked, while it is published, or, once the shopper ``reported_by``
    has reported it, whatever it has become: their report sent it back to moderation.

    Locked by its id alone and judged after: on PostgreSQL a query that waited for the
    lock re-reads the row it locked but not a subquery, so it would not see the report
    just written by the transaction it waited for.
    """
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is not None and (
        review.status == ReviewStatus.PUBLISHED
        or (reported_by is not None and review.reports.filter(customer_id=reported_by).exists())
    ):
        return review
    raise ReviewNotFound(f"No published review with id {review_id}.")


@atomic("reviews")
def review_vote(*, customer_id: int, review_id: int, helpful: bool) -> Review:
    """Record (or change) the customer's vote; the counters follow in the same transaction."""
    review = _published_review(review_id)
    if review.customer_id == customer_id:
        raise ReviewForbidden(gettext("You cannot vote on your own review."))
    vote = Vote.objects.filter(review=review, customer_id=customer_id).first()
    if vote is not None and vote.helpful == helpful:
        return review
    if vote is None:
        Vote.objects.create(review=review, customer_id=customer_id, helpful=helpful)
    else:
        vote.helpful = helpful
        vote.save(update_fields=["helpful"])
    counted, other = "helpful_count", "not_helpful_count"
    if not helpful:
        counted, other = other, counted
    changes = {counted: F(counted) + 1}
    if vote is not None:  # a changed vote moves from one counter to the other
        changes[other] = F(other) - 1
    Review.objects.filter(pk=review.pk).update(**changes)
    review.refresh_from_db()
    cache.shown_changed([review.product_id])
    return review


@atomic("reviews")
def review_report(*, customer_id: int, review_id: int, reason: str = "") -> Review:
    """A shopper reports a review once; enough reports send it back to moderation.

    A report sent again (a double tap, a retried request) is answered as the first was,
    even when that first report was the one that unpublished the review: the shopper
    learns nothing they did not cause, and an app retrying a lost answer is not told
    "not found" for a report that counted. Anyone else is told the review is not found.
    """
    review = _published_review(review_id, reported_by=customer_id)
    if review.customer_id == customer_id:
        raise ReviewForbidden(gettext("You cannot report your own review."))
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise InvalidReview({"reason": f"At most {REASON_MAX} characters."})
    _, created = Report.objects.get_or_create(
        review=review, customer_id=customer_id, defaults={"reason": reason}
    )
    if not created:
        return review
    review.report_count += 1
    if review.report_count >= ModerationRule.current().reports_to_unpublish:
        review.status = ReviewStatus.PENDING
    review.save(update_fields=["report_count", "status", "updated_at"])
    _refresh_rating(review)
    return review


@atomic("reviews")
def reviews_moderate(*, review_ids: Iterable[int], approve: bool, reason: str = "") -> int:
    """Approve or reject reviews (the admin's bulk actions); returns how many changed.

    A rejection needs a reason, shown to the author in their reviews.
    Approving clears the reports, so the review starts counting anew.
    """
    reason = reason.strip()
    if not approve and not reason:
        raise InvalidReview({"reason": "Say why the reviews are rejected; the authors see it."})
    if len(reason) > REASON_MAX:
        raise InvalidReview({"reason": f"At most {REASON_MAX} characters."})
    target = ReviewStatus.PUBLISHED if approve else ReviewStatus.REJECTED
    changed = list(
        Review.objects.select_for_update()
        .filter(pk__in=list(review_ids))
        .exclude(status=target)
        .order_by("pk")
    )
    for review in changed:
        review.status = target
        review.rejection_reason = "" if approve else reason
        if approve:
            review.report_count = 0
            review.reports.all().delete()
        review.save(update_fields=["status", "rejection_reason", "report_count", "updated_at"])
    for product_id, sku in sorted({(r.product_id, r.product_sku) for r in changed}):
        ratings.refresh(product_id=product_id, product_sku=sku)
    cache.shown_changed(review.product_id for review in changed)
    return len(changed)


@atomic("reviews")
def review_reply(*, review_id: int, text: str) -> Review:
    """Staff answer a review publicly (an empty text removes the answer)."""
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise ReviewNotFound(f"No review with id {review_id}.")
    text = text.strip()
    if len(text) > BODY_MAX:
        raise InvalidReview({"staff_reply": f"At most {BODY_MAX} characters."})
    review.staff_reply = text
    review.staff_reply_at = timezone.now() if text else None
    review.save(update_fields=["staff_reply", "staff_reply_at", "updated_at"])
    cache.shown_changed([review.product_id])
    return review


@atomic("reviews")
def purchases_record(
    *, customer_id: int, skus: Iterable[str], order_number: str, delivered_at: datetime
) -> int:
    """The customer received these SKUs: remember them, and mark their reviews verified.

    SKUs are mapped to products through the catalog now, so a variant's
    purchase verifies a review of its product. Returns the purchases new to us.
    """
    skus = sorted(set(skus))
    products = catalog_api.products_by_sku(skus=skus)
    known = set(
        Purchase.objects.filter(customer_id=customer_id, sku__in=skus).values_list("sku", flat=True)
    )
    new = [
        Purchase(
            customer_id=customer_id,
            sku=sku,
            product_id=products[sku].id if sku in products else None,
            order_number=order_number,
            delivered_at=delivered_at,
        )
        for sku in skus
        if sku not in known
    ]
    Purchase.objects.bulk_create(new, ignore_conflicts=True)
    product_ids = {p.product_id for p in new if p.product_id is not None}
    Review.objects.filter(
        customer_id=customer_id, product_id__in=product_ids, verified_purchase=False
    ).update(verified_purchase=True, updated_at=timezone.now())
    cache.shown_changed(product_ids)
    return len(new)
