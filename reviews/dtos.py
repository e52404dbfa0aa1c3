"""Data that crosses the reviews boundary: frozen, slotted dataclasses. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from kernel.errors import DomainError

#: Limits of a review's fields, shared by the services, forms and serializers.
TITLE_MAX = 120
BODY_MAX = 5000
PROS_CONS_MAX = 1000
RATINGS = (1, 2, 3, 4, 5)


class ReviewStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class ReviewSort(StrEnum):
    HELPFUL = "helpful"
    NEWEST = "newest"
    HIGHEST = "highest"
    LOWEST = "lowest"


@dataclass(frozen=True, slots=True)
class ReviewQuery:
    """Which page of a product's reviews: order, a star rating to keep (None: all), page."""

    sort: ReviewSort = ReviewSort.HELPFUL
    stars: int | None = None
    page: int = 1
    per_page: int = 10


@dataclass(frozen=True, slots=True)
class ReviewDraft:
    """What a customer writes; checked by the services (`InvalidReview` names the field)."""

    rating: int
    title: str
    body: str
    pros: str = ""
    cons: str = ""


@dataclass(frozen=True, slots=True)
class StarCount:
    stars: int
    count: int
    percent: int


@dataclass(frozen=True, slots=True)
class RatingSummary:
    """Published reviews of a product: ``histogram[0]`` counts 1-star reviews, ``[4]`` 5-star."""

    product_id: int
    average: Decimal | None
    count: int
    histogram: tuple[int, int, int, int, int]

    @property
    def bars(self) -> tuple[StarCount, ...]:
        """5 stars first, each with its share of the reviews in whole percent."""
        return tuple(
            StarCount(
                stars=stars,
                count=self.histogram[stars - 1],
                percent=round(100 * self.histogram[stars - 1] / self.count) if self.count else 0,
            )
            for stars in reversed(RATINGS)
        )


@dataclass(frozen=True, slots=True)
class Review:
    """A review as its readers see it; ``viewer_vote`` is the reading customer's own vote."""

    id: int
    product_id: int
    product_sku: str
    product_title: str
    product_slug: str
    customer_id: int
    author_name: str
    rating: int
    title: str
    body: str
    pros: str
    cons: str
    status: ReviewStatus
    rejection_reason: str
    verified_purchase: bool
    helpful_count: int
    not_helpful_count: int
    staff_reply: str
    staff_reply_at: datetime | None
    created_at: datetime
    updated_at: datetime
    viewer_vote: bool | None = None


@dataclass(frozen=True, slots=True)
class ReviewPage:
    """One page of a product's published reviews, with the product's rating summary."""

    items: tuple[Review, ...]
    summary: RatingSummary
    number: int
    page_count: int
    total: int
    query: ReviewQuery


class ReviewError(DomainError):
    """A review use case said no; the subclass says why, and its HTTP answer
    (``kernel.rest.exception_handler`` answers every one, no view translates it)."""


class InvalidReview(ReviewError):
    """Bad input; ``errors`` maps each field to its message (a 400 naming each).

    Nothing was written.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors

    def http_body(self) -> dict[str, object]:
        return {field: [message] for field, message in self.errors.items()}


class ProductNotOnSale(InvalidReview):
    """The product to review is unknown or not on sale: a 404 (a page shows the field's error)."""

    http_status = 404

    def __init__(self, product_id: int) -> None:
        super().__init__({"product_id": f"No product with id {product_id} is on sale."})

    def http_body(self) -> dict[str, object]:
        return {"detail": self.errors["product_id"], "code": "not_found"}


class ReviewNotFound(ReviewError, LookupError):
    """No such review, or not one this customer may see or change: a 404."""

    http_status = 404


class DuplicateReview(ReviewError):
    """The customer already reviewed this product: edit that review instead (a 409)."""

    http_status = 409

    def http_body(self) -> dict[str, object]:
        return {"detail": str(self), "code": "duplicate_review"}


class ReviewForbidden(ReviewError):
    """Allowed for others but not for this customer (e.g. voting on one's own review): a 403."""

    http_status = 403


@dataclass(frozen=True, slots=True)
class ModerationQueue:
    """Reviews waiting for a moderator: how many, how many of them shoppers reported, the oldest.

    Reported reviews come back to the queue once enough shoppers report them.
    """

    pending: int
    reported: int
    oldest_pending_at: datetime | None
