"""The public, in-process interface of reviews: keyword-only functions returning DTOs.

Other contexts and the composition layer call only this module (and read
``dtos``/``events``). After a split it is the one file that becomes an HTTP
client. Writes raise `reviews.dtos.ReviewError` subclasses; nothing is
written when they do.

Reviews is an *optional* context for everyone else: the product page and
the product endpoint read it through ``kernel.isolation.call_optional``
with a time budget, the back office's dashboard inline, and both go on
without it. Those reads (``product_reviews``, ``rating_summary``,
``rating_summaries``, ``moderation_queue``) are wrapped by
``kernel.faults.inject``, so ``FAULT_INJECTION="reviews=raise"`` (or
``sleep:N``) makes them fail or hang on purpose (docs/reviews.md). Writes
are the reviews pages' own and are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from kernel.faults import inject
from reviews import params as review_params
from reviews import selectors, services
from reviews.dtos import (
    ModerationQueue,
    RatingSummary,
    Review,
    ReviewDraft,
    ReviewPage,
    ReviewQuery,
)

DEFAULT_QUERY = ReviewQuery()


@inject("reviews")
def product_reviews(
    *, product_id: int, query: ReviewQuery = DEFAULT_QUERY, viewer_id: int | None = None
) -> ReviewPage:
    """A page of the product's published reviews with its rating summary.

    ``viewer_id``: the reading customer, whose own votes come back in ``viewer_vote``.
    """
    return selectors.product_reviews(product_id=product_id, query=query, viewer_id=viewer_id)


def review_query_from_params(
    *, params: Mapping[str, Sequence[str]]
) -> tuple[ReviewQuery, dict[str, str]]:
    """``sort``, ``stars`` and ``page`` from a URL: the query (bad values left at their
    default) and the errors by parameter, so pages can ignore them and the API refuse."""
    return review_params.parse(params)


@inject("reviews")
def rating_summary(*, product_id: int) -> RatingSummary:
    return selectors.rating_summary(product_id=product_id)


@inject("reviews")
def rating_summaries(*, product_ids: list[int]) -> dict[int, RatingSummary]:
    return selectors.rating_summaries(product_ids=product_ids)


def customer_reviews(*, customer_id: int) -> list[Review]:
    """Every review of the customer, newest first, with its moderation status."""
    return selectors.reviews_of_customer(customer_id=customer_id)


def customer_review_of(*, customer_id: int, product_id: int) -> Review | None:
    """The customer's own review of this product, whatever its status."""
    return selectors.review_of_customer(customer_id=customer_id, product_id=product_id)


def customer_review(*, customer_id: int, review_id: int) -> Review | None:
    """One of the customer's own reviews; None if there is none with this id."""
    return selectors.own_review(customer_id=customer_id, review_id=review_id)


def write_review(
    *, customer_id: int, author_name: str, product_id: int, draft: ReviewDraft
) -> Review:
    review = services.review_create(
        customer_id=customer_id, author_name=author_name, product_id=product_id, draft=draft
    )
    return selectors.review_dto(review)


def edit_review(*, customer_id: int, review_id: int, draft: ReviewDraft) -> Review:
    review = services.review_update(customer_id=customer_id, review_id=review_id, draft=draft)
    return selectors.review_dto(review)


def delete_review(*, customer_id: int, review_id: int) -> None:
    services.review_delete(customer_id=customer_id, review_id=review_id)


def vote(*, customer_id: int, review_id: int, helpful: bool) -> Review:
    review = services.review_vote(customer_id=customer_id, review_id=review_id, helpful=helpful)
    return selectors.review_dto(review, helpful)


def report(*, customer_id: int, review_id: int, reason: str = "") -> None:
    services.review_report(customer_id=customer_id, review_id=review_id, reason=reason)


@inject("reviews")
def moderation_queue() -> ModerationQueue:
    """How many reviews wait for a moderator (the back office's dashboard); one query."""
    return selectors.moderation_queue()


def moderate(*, review_ids: list[int], approve: bool, reason: str = "") -> int:
    """Approve or reject reviews (a rejection needs the reason its author will see)."""
    return services.reviews_moderate(review_ids=review_ids, approve=approve, reason=reason)


def record_delivery(
    *, customer_id: int, skus: list[str], order_number: str, delivered_at: datetime
) -> int:
    """The customer received these SKUs: their reviews of those products are verified."""
    return services.purchases_record(
        customer_id=customer_id, skus=skus, order_number=order_number, delivered_at=delivered_at
    )
