"""A product's rating (average, count, 1-5 histogram), kept from its published reviews.

Every service that changes what is published for a product calls
`refresh` in its own transaction. It locks the product's rating row, counts
the product's published reviews again (one grouped query on an index) and,
if the numbers moved, saves them and publishes ``reviews.rating_changed.v1``
in the same transaction. Counting again instead of adding and subtracting
means an edit, a rejection or a deletion can never leave the numbers off by
one; the row lock serializes two changes to one product, and the second
counts the first's committed review.

`recompute_all` (``manage.py recompute_ratings``) derives every product's
numbers from scratch with one grouped query over all products, a separate
path, and publishes only where they differ; a test proves both agree.

`ratings_announce` (``manage.py announce_ratings``) publishes every
product's numbers again as they are, for subscribers rebuilding their copy
(the catalog's listings, docs/operations.md): the numbers are right, the
copy is what went missing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count
from django.utils import timezone

from kernel.databases import atomic
from kernel.outbox import announce_in_batches, publish
from reviews import cache
from reviews.dtos import ReviewStatus
from reviews.events import RatingChanged
from reviews.models import ProductRating, Review

Histogram = tuple[int, int, int, int, int]


def _published(product_ids=None):
    reviews = Review.objects.filter(status=ReviewStatus.PUBLISHED)
    if product_ids is not None:
        reviews = reviews.filter(product_id__in=product_ids)
    return reviews.order_by().values("product_id", "rating").annotate(n=Count("pk"))


def _save_if_changed(row: ProductRating, histogram: Histogram) -> bool:
    if row.pk is not None and row.histogram == histogram:
        return False
    for stars, count in enumerate(histogram, start=1):
        setattr(row, f"stars_{stars}", count)
    row.count = sum(histogram)
    row.total = sum(stars * count for stars, count in enumerate(histogram, start=1))
    row.changed_at = timezone.now()
    row.save()
    _publish(row, changed_at=row.changed_at)
    return True


def _publish(row: ProductRating, *, changed_at: datetime) -> None:
    publish(
        RatingChanged(
            product_id=row.product_id,
            product_sku=row.product_sku,
            average=row.average,
            count=row.count,
            histogram=row.histogram,
            changed_at=changed_at,
        )
    )


@atomic("reviews")
def refresh(*, product_id: int, product_sku: str) -> bool:
    """Count the product's published reviews again; publish if the numbers changed."""
    ProductRating.objects.get_or_create(
        product_id=product_id, defaults={"product_sku": product_sku}
    )
    row = ProductRating.objects.select_for_update().get(product_id=product_id)
    counts = [0] * 5
    for group in _published([product_id]):
        counts[group["rating"] - 1] = group["n"]
    return _save_if_changed(row, tuple(counts))


@atomic("reviews")
def recompute_all() -> int:
    """Every product's rating from scratch; returns how many had to be corrected."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 5)
    for group in _published():
        counts[group["product_id"]][group["rating"] - 1] = group["n"]
    skus = dict(Review.objects.order_by().values_list("product_id", "product_sku").distinct())
    rows = {row.product_id: row for row in ProductRating.objects.select_for_update()}
    corrected = []
    for product_id in sorted(set(rows) | set(counts)):
        row = rows.get(product_id) or ProductRating(
            product_id=product_id, product_sku=skus[product_id]
        )
        if _save_if_changed(row, tuple(counts.get(product_id, [0] * 5))):
            corrected.append(product_id)
    # Each page of a product's reviews shows its rating. (The services forget the products
    # they change themselves, whatever happens to the rating.)
    cache.shown_changed(corrected)
    return len(corrected)


def ratings_announce() -> int:
    """Publish ``RatingChanged`` for every product's rating as it is now; returns how many.

    One transaction per batch, locking its rows before the time is taken:
    a change saved meanwhile either committed first, and is what is
    announced, or waits and is stamped later, so it still wins at the
    subscribers (they keep the newest ``changed_at``).
    """
    ids = list(ProductRating.objects.order_by("pk").values_list("pk", flat=True))
    return announce_in_batches(ids, _announce_batch)


@atomic("reviews")
def _announce_batch(ids: list[int]) -> None:
    rows = list(ProductRating.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    now = timezone.now()
    for row in rows:
        _publish(row, changed_at=now)
