"""The review form, "Your reviews", deleting: clear field errors, nothing half-written."""

from types import SimpleNamespace

import pytest

from reviews import throttle
from reviews.models import Review
from reviews.tests.factories import deliver, write

pytestmark = pytest.mark.django_db

FORM = {"rating": "4", "title": "Nice", "body": "Fresh and fragrant.", "pros": "", "cons": ""}


@pytest.fixture
def signed_in(client, ada):
    client.force_login(ada)
    return client


def test_writing_a_review_needs_a_signed_in_customer(client, products):
    response = client.get(f"/reviews/write/{products['TEA']}/")
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def test_a_verified_review_is_published_and_listed_in_your_reviews(signed_in, products, ada):
    deliver(ada, "TEA")
    response = signed_in.post(f"/reviews/write/{products['TEA']}/", FORM, follow=True)
    page = response.content.decode()
    assert "Your review is published" in page
    assert "Green Tea" in page
    assert "Verified purchase" in page
    assert "Published" in page


def test_an_unverified_review_waits_and_a_rejection_shows_its_reason(signed_in, products, ada):
    from reviews import api

    response = signed_in.post(f"/reviews/write/{products['TEA']}/", FORM, follow=True)
    assert "once a moderator has approved it" in response.content.decode()
    api.moderate(
        review_ids=[Review.objects.get().pk], approve=False, reason="Mentions a competitor"
    )
    page = signed_in.get("/account/reviews/").content.decode()
    assert "Not published" in page
    assert "Why: Mentions a competitor" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rating": ""}, "rating", "Choose a rating from 1 to 5 stars."),
        ({"rating": "6"}, "rating", "Select a valid choice"),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "   "}, "title", "This field is required."),
        ({"title": "x" * 121}, "title", "at most 120 characters"),
        ({"body": ""}, "body", "This field is required."),
        ({"body": "x" * 5001}, "body", "at most 5000 characters"),
        ({"cons": "x" * 1001}, "cons", "at most 1000 characters"),
    ],
)
def test_bad_input_shows_the_error_at_its_field(signed_in, products, changes, field, message):
    response = signed_in.post(f"/reviews/write/{products['TEA']}/", {**FORM, **changes})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert message.split("(")[0] in response.content.decode()
    assert not Review.objects.exists()


def test_unknown_or_archived_products_have_no_review_form(signed_in, products):
    assert signed_in.get(f"/reviews/write/{products['OLD']}/").status_code == 404
    assert signed_in.post("/reviews/write/999999/", FORM).status_code == 404
    assert not Review.objects.exists()


def test_the_form_edits_ones_existing_review(signed_in, products, ada):
    write(ada, products["TEA"], title="First thoughts")
    form = signed_in.get(f"/reviews/write/{products['TEA']}/").content.decode()
    assert "Edit your review" in form
    assert 'value="First thoughts"' in form
    signed_in.post(f"/reviews/write/{products['TEA']}/", {**FORM, "title": "Second thoughts"})
    assert list(Review.objects.values_list("title", flat=True)) == ["Second thoughts"]


def test_the_author_deletes_after_confirming_and_nobody_else_can(
    client, signed_in, products, ada, bob
):
    review = write(ada, products["TEA"])
    assert "Delete your review" in signed_in.get(f"/reviews/{review.id}/delete/").content.decode()
    client.force_login(bob)
    assert client.post(f"/reviews/{review.id}/delete/").status_code == 404
    client.force_login(ada)
    assert client.post(f"/reviews/{review.id}/delete/").status_code == 302
    assert not Review.objects.exists()


def test_the_form_is_throttled_per_customer(signed_in, products, settings):
    settings.REVIEWS_WRITES_PER_HOUR = 1
    assert signed_in.post(f"/reviews/write/{products['TEA']}/", FORM).status_code == 302
    refused = signed_in.post(f"/reviews/write/{products['MUG']}/", FORM)
    assert refused.status_code == 429
    assert "reviews an hour" in refused.content.decode()
    assert Review.objects.count() == 1


def test_the_throttled_form_says_the_wait_in_the_shopper_s_language_and_number(
    signed_in, products, settings, monkeypatch
):
    settings.REVIEWS_WRITES_PER_HOUR = 1
    a_minute_and_a_half_left = 10 * throttle.HOUR - 90
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: a_minute_and_a_half_left))
    signed_in.post(f"/reviews/write/{products['TEA']}/", FORM)

    english = signed_in.post(f"/reviews/write/{products['MUG']}/", FORM)
    german = signed_in.post(f"/de/reviews/write/{products['MUG']}/", FORM)

    assert english.status_code == german.status_code == 429
    assert "reviews an hour; try again in 1 minute." in english.content.decode()
    assert "bitte versuchen Sie es in 1 Minute erneut." in german.content.decode()


def test_your_reviews_cost_the_same_queries_for_one_or_many(
    signed_in, products, ada, django_assert_max_num_queries
):
    write(ada, products["TEA"])
    with django_assert_max_num_queries(6) as one:
        signed_in.get("/account/reviews/")
    queries = len(one)
    write(ada, products["MUG"])
    with django_assert_max_num_queries(queries):
        assert signed_in.get("/account/reviews/").content.decode().count('class="review"') == 2


def test_the_account_page_links_to_your_reviews(signed_in):
    assert 'href="/account/reviews/"' in signed_in.get("/account/").content.decode()


def test_the_star_choices_read_in_the_page_language(signed_in, products):
    """The choices' labels were formatted once, when the module was imported: in English on
    every page, German too."""
    german = signed_in.get(f"/de/reviews/write/{products['TEA']}/").content.decode()
    english = signed_in.get(f"/reviews/write/{products['TEA']}/").content.decode()

    assert "5 Sterne" in german
    assert "1 Stern<" in german
    assert "stars" not in german
    assert "5 stars" in english
    assert "1 star<" in english
