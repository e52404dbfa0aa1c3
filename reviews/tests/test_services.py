"""Writing, editing, voting, reporting and moderating reviews; the rating they keep."""

from decimal import Decimal

import pytest

from kernel.outbox import published
from reviews import api
from reviews.dtos import (
    DuplicateReview,
    InvalidReview,
    ReviewForbidden,
    ReviewNotFound,
    ReviewStatus,
)
from reviews.models import ModerationRule, Review, Vote
from reviews.tests.factories import deliver, draft, make_customer, write

pytestmark = pytest.mark.django_db


def rating_events(product_id: int) -> list[dict]:
    return [
        e.payload
        for e in published("reviews.rating_changed.v1").order_by("id")
        if e.payload["product_id"] == product_id
    ]


def test_an_unverified_review_waits_for_a_moderator_and_counts_nowhere(products, ada):
    review = write(ada, products["TEA"], rating=4)

    assert (review.status, review.verified_purchase) == (ReviewStatus.PENDING, False)
    assert review.author_name == "Ada"
    assert api.rating_summary(product_id=products["TEA"]).count == 0
    assert rating_events(products["TEA"]) == []


def test_a_verified_purchase_is_published_at_once_and_moves_the_rating(products, ada, bob):
    deliver(ada, "MUG-L")  # a variant's SKU verifies a review of its product
    review = write(ada, products["MUG"], rating=4)

    assert (review.status, review.verified_purchase) == (ReviewStatus.PUBLISHED, True)
    summary = api.rating_summary(product_id=products["MUG"])
    assert (summary.average, summary.count, summary.histogram) == (
        Decimal("4.00"),
        1,
        (0, 0, 0, 1, 0),
    )
    (event,) = rating_events(products["MUG"])
    assert event["product_sku"] == "MUG"
    assert (event["average"], event["count"], event["histogram"]) == ("4.00", 1, [0, 0, 0, 1, 0])
    assert event["changed_at"]


def test_a_flagged_word_or_the_rule_switched_off_holds_even_a_verified_review(products, ada, bob):
    rule = ModerationRule.current()
    rule.flagged_words = "rubbish, scam"
    rule.save()
    deliver(ada, "TEA")
    assert write(ada, products["TEA"], body="A SCAM, honestly.").status == ReviewStatus.PENDING

    rule.auto_publish_verified = False
    rule.save()
    deliver(bob, "TEA")
    assert write(bob, products["TEA"], body="Scampi-free tea.").status == ReviewStatus.PENDING


def test_whole_words_only_are_flagged(products, ada):
    rule = ModerationRule.current()
    rule.flagged_words = "ass"
    rule.save()
    deliver(ada, "TEA")
    assert (
        write(ada, products["TEA"], body="Comes in a glass jar.").status == ReviewStatus.PUBLISHED
    )


def test_delivery_after_the_review_marks_it_verified(products, ada):
    review = write(ada, products["TEA"])
    assert not review.verified_purchase

    deliver(ada, "TEA")
    deliver(ada, "TEA")  # redelivered event: nothing more

    assert Review.objects.get(pk=review.id).verified_purchase


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": True}, "rating"),
        ({"rating": 5.0}, "rating"),
        ({"rating": "5"}, "rating"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"pros": "x" * 1001}, "pros"),
        ({"cons": "x" * 1001}, "cons"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(products, ada, fields, field):
    with pytest.raises(InvalidReview) as refused:
        write(ada, products["TEA"], **fields)
    assert field in refused.value.errors
    assert not Review.objects.exists()


@pytest.mark.parametrize("product", ["OLD", "unknown"])
def test_an_archived_or_unknown_product_cannot_be_reviewed(products, ada, product):
    with pytest.raises(InvalidReview) as refused:
        write(ada, products.get(product, 999_999))
    assert "product_id" in refused.value.errors
    assert not Review.objects.exists()


def test_one_review_per_customer_and_product(products, ada):
    write(ada, products["TEA"])
    with pytest.raises(DuplicateReview):
        write(ada, products["TEA"], title="Again")
    assert Review.objects.count() == 1


def test_the_author_edits_and_deletes_and_the_rating_follows(products, ada, bob):
    deliver(ada, "TEA")
    review = write(ada, products["TEA"], rating=5)

    edited = api.edit_review(
        customer_id=ada.pk, review_id=review.id, draft=draft(rating=2, title="Changed my mind")
    )
    assert (edited.rating, edited.title, edited.status) == (2, "Changed my mind", "published")
    assert api.rating_summary(product_id=products["TEA"]).histogram == (0, 1, 0, 0, 0)

    with pytest.raises(ReviewNotFound):  # someone else's review is simply not found
        api.edit_review(customer_id=bob.pk, review_id=review.id, draft=draft())
    with pytest.raises(ReviewNotFound):
        api.delete_review(customer_id=bob.pk, review_id=review.id)

    api.delete_review(customer_id=ada.pk, review_id=review.id)
    summary = api.rating_summary(product_id=products["TEA"])
    assert (summary.average, summary.count) == (None, 0)
    assert [e["count"] for e in rating_events(products["TEA"])] == [1, 1, 0]


def test_votes_one_per_customer_changeable_never_on_ones_own(products, ada, bob):
    deliver(ada, "TEA")
    review = write(ada, products["TEA"])
    carol = make_customer("carol")

    api.vote(customer_id=bob.pk, review_id=review.id, helpful=True)
    api.vote(customer_id=bob.pk, review_id=review.id, helpful=True)
    api.vote(customer_id=carol.pk, review_id=review.id, helpful=True)
    voted = api.vote(customer_id=carol.pk, review_id=review.id, helpful=False)

    assert (voted.helpful_count, voted.not_helpful_count) == (1, 1)
    with pytest.raises(ReviewForbidden):
        api.vote(customer_id=ada.pk, review_id=review.id, helpful=True)
    assert Vote.objects.count() == 2


def test_pending_reviews_cannot_be_voted_on_or_reported(products, ada, bob):
    review = write(ada, products["TEA"])
    with pytest.raises(ReviewNotFound):
        api.vote(customer_id=bob.pk, review_id=review.id, helpful=True)
    with pytest.raises(ReviewNotFound):
        api.report(customer_id=bob.pk, review_id=review.id)


def test_enough_reports_send_a_review_back_to_moderation(products, ada):
    deliver(ada, "TEA")
    review = write(ada, products["TEA"])
    shoppers = [make_customer(name) for name in ("r1", "r2", "r3")]

    api.report(customer_id=shoppers[0].pk, review_id=review.id, reason="rude")
    api.report(customer_id=shoppers[0].pk, review_id=review.id, reason="rude")  # once each
    api.report(customer_id=shoppers[1].pk, review_id=review.id)
    assert Review.objects.get(pk=review.id).status == "published"

    api.report(customer_id=shoppers[2].pk, review_id=review.id)

    assert Review.objects.get(pk=review.id).status == "pending"
    assert api.rating_summary(product_id=products["TEA"]).count == 0


def test_a_report_sent_again_is_answered_as_the_first_though_it_unpublished_the_review(
    products, ada
):
    deliver(ada, "TEA")
    review = write(ada, products["TEA"])
    shoppers = [make_customer(name) for name in ("r1", "r2", "r3", "r4")]
    for shopper in shoppers[:3]:
        api.report(customer_id=shopper.pk, review_id=review.id)

    api.report(customer_id=shoppers[2].pk, review_id=review.id)  # the one that unpublished it
    api.report(customer_id=shoppers[0].pk, review_id=review.id)

    assert Review.objects.get(pk=review.id).report_count == 3
    with pytest.raises(ReviewNotFound):
        api.report(customer_id=shoppers[3].pk, review_id=review.id)


def test_moderators_approve_and_reject_in_bulk_with_a_reason_the_author_sees(products, ada, bob):
    first, second = write(ada, products["TEA"]), write(bob, products["TEA"], rating=3)

    with pytest.raises(InvalidReview) as refused:
        api.moderate(review_ids=[first.id], approve=False)
    assert "reason" in refused.value.errors

    assert api.moderate(review_ids=[first.id, second.id], approve=True) == 2
    assert api.rating_summary(product_id=products["TEA"]).count == 2
    assert api.moderate(review_ids=[second.id], approve=False, reason="Off-topic") == 1

    (mine,) = api.customer_reviews(customer_id=bob.pk)
    assert (mine.status, mine.rejection_reason) == ("rejected", "Off-topic")
    summary = api.rating_summary(product_id=products["TEA"])
    assert (summary.average, summary.count) == (Decimal("5.00"), 1)
