"""The moderation queue: the "Review moderator" group approves, rejects with a reason, replies."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from reviews import api
from reviews.models import ModerationRule, Review
from reviews.tests.factories import make_customer, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = get_user_model().objects.create_user("mo", "mo@example.com", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Review moderator"))
    client.force_login(user)
    return client


def test_the_moderator_group_holds_only_review_rights_and_no_deletes():
    perms = set(
        Group.objects.get(name="Review moderator").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert {app for app, _ in perms} == {"reviews"}
    assert ("reviews", "change_review") in perms
    assert ("reviews", "change_moderationrule") in perms
    assert not [code for _, code in perms if code.startswith(("delete_", "add_"))]


def action(client, name: str, reviews, **data):
    return client.post(
        "/admin/reviews/review/",
        {"action": name, "_selected_action": [r.id for r in reviews], **data},
    )


def test_bulk_approve_then_reject_with_a_reason_the_author_sees(
    moderator, products, ada, bob, django_assert_max_num_queries
):
    pending = [write(ada, products["TEA"]), write(bob, products["TEA"], rating=2)]
    with django_assert_max_num_queries(12):
        queue = moderator.get("/admin/reviews/review/?status__exact=pending")
    assert queue.status_code == 200
    assert "Lovely" in queue.content.decode()

    action(moderator, "approve", pending)
    assert set(Review.objects.values_list("status", flat=True)) == {"published"}
    assert api.rating_summary(product_id=products["TEA"]).count == 2

    confirm = action(moderator, "reject", pending[1:])
    assert "Reject reviews" in confirm.content.decode()  # asks for the reason first
    assert Review.objects.get(pk=pending[1].id).status == "published"
    action(moderator, "reject", pending[1:], reason="Please keep it about the tea.")

    (mine,) = api.customer_reviews(customer_id=bob.pk)
    assert (mine.status, mine.rejection_reason) == ("rejected", "Please keep it about the tea.")
    assert api.rating_summary(product_id=products["TEA"]).count == 1


def test_a_staff_reply_is_saved_and_the_customers_text_cannot_be_changed(moderator, products, ada):
    review = write(ada, products["TEA"])
    url = f"/admin/reviews/review/{review.id}/change/"
    inline = {"reports-TOTAL_FORMS": 0, "reports-INITIAL_FORMS": 0}
    response = moderator.post(
        url, {"staff_reply": "Thanks!", "title": "Hacked", "rating": 1, **inline}
    )
    assert response.status_code == 302
    saved = Review.objects.get(pk=review.id)
    assert (saved.staff_reply, saved.title, saved.rating) == ("Thanks!", "Lovely", 5)
    assert saved.staff_reply_at is not None


def test_the_moderation_rule_is_one_row_staff_edit(moderator):
    ModerationRule.current()  # created on first use
    assert moderator.get("/admin/reviews/moderationrule/").status_code == 200
    response = moderator.post(
        "/admin/reviews/moderationrule/1/change/",
        {"auto_publish_verified": "", "flagged_words": "scam\nrubbish", "reports_to_unpublish": 5},
    )
    assert response.status_code == 302
    rule = ModerationRule.current()
    assert (rule.auto_publish_verified, rule.words, rule.reports_to_unpublish) == (
        False,
        ["scam", "rubbish"],
        5,
    )


def test_customers_cannot_reach_the_queue(client, ada):
    client.force_login(make_customer("eve"))
    assert client.get("/admin/reviews/review/").status_code == 302


def test_reviews_staff_delete_leave_the_rating_at_once(admin_client, moderator, products, ada, bob):
    """Deleted in the admin (one from its page, more from the list), as a customer's own
    delete: the product's rating and its cached reviews follow."""
    published = [write(ada, products["TEA"]), write(bob, products["TEA"], rating=2)]
    action(moderator, "approve", published)
    assert api.rating_summary(product_id=products["TEA"]).count == 2
    first = published[0].id
    assert (
        admin_client.post(f"/admin/reviews/review/{first}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert api.rating_summary(product_id=products["TEA"]).count == 1
    assert action(admin_client, "delete_selected", published[1:], post="yes").status_code == 302
    assert api.rating_summary(product_id=products["TEA"]).count == 0
    assert not Review.objects.exists()
