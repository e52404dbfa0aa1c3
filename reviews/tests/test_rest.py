"""/api/v1/reviews/: reading is public; writing, voting and reporting are the customer's own."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from reviews.models import Review, Vote
from reviews.tests.factories import deliver, make_customer, write

pytestmark = pytest.mark.django_db

REVIEW = {"rating": 4, "title": "Good tea", "body": "Fresh and fragrant.", "pros": "Taste"}


def client_of(customer=None) -> Client:
    client = Client()
    if customer is not None:
        client.force_login(customer)
    return client


def post(client, url, data, method="post"):
    return getattr(client, method)(url, data, content_type="application/json")


def test_a_product_page_of_reviews_sorted_filtered_and_paged(products, ada):
    shoppers = [make_customer(f"s{n}") for n in range(12)]
    for n, shopper in enumerate(shoppers):
        deliver(shopper, "TEA")
        write(shopper, products["TEA"], rating=n % 5 + 1, title=f"Review {n}")
    url = f"/api/v1/reviews/products/{products['TEA']}/"

    first = client_of().get(url, {"sort": "lowest"}).json()
    assert (first["count"], first["page"], first["page_count"]) == (12, 1, 2)
    assert [r["rating"] for r in first["results"]][:3] == [1, 1, 1]
    assert first["summary"]["histogram"] == [3, 3, 2, 2, 2]
    assert first["summary"]["average"] == "2.75"  # 33 / 12
    assert "customer_id" not in first["results"][0]

    fives = client_of().get(url, {"stars": "5"}).json()
    assert {r["rating"] for r in fives["results"]} == {5}
    assert client_of().get(url, {"page": "2"}).json()["page"] == 2
    past = client_of().get(url, {"page": "3"})  # names nothing, as on every list
    assert (past.status_code, past.json()["detail"]) == (404, "page 3 of 2")

    rating = client_of().get(f"{url}rating/").json()
    assert rating == {**first["summary"], "product_id": products["TEA"]}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"sort": "best"}, "sort"), ({"stars": "6"}, "stars"), ({"page": "0"}, "page"),
     ({"sort": ["newest", "helpful"]}, "sort"), ({"page": ["1", "1"]}, "page"),
     ({"per_page": "5"}, "per_page"), ({"rating": "5"}, "rating")],
)  # fmt: skip
def test_a_bad_list_parameter_is_a_400_naming_it(products, ada, params, parameter):
    deliver(ada, "TEA")
    write(ada, products["TEA"])
    response = client_of().get(f"/api/v1/reviews/products/{products['TEA']}/", params)
    assert response.status_code == 400
    assert parameter in response.json()["errors"]


@pytest.mark.parametrize("product_id", ["0", "999999", "99999999999999999999"])
@pytest.mark.parametrize("part", ["", "rating/"])
def test_the_reviews_of_no_product_are_a_404(products, product_id, part):
    response = client_of().get(f"/api/v1/reviews/products/{product_id}/{part}")
    assert (response.status_code, response.json()["detail"]) == (404, "No product with this id.")


def test_a_customer_writes_edits_and_deletes_their_review(products, ada):
    client = client_of(ada)
    created = post(client, "/api/v1/reviews/", {**REVIEW, "product_id": products["TEA"]})
    assert created.status_code == 201, created.json()
    review = created.json()
    assert (review["status"], review["author_name"], review["pros"]) == ("pending", "Ada", "Taste")

    edited = post(client, f"/api/v1/reviews/{review['id']}/", {**REVIEW, "rating": 2}, "put")
    assert edited.status_code == 200
    assert edited.json()["rating"] == 2
    assert [r["id"] for r in client.get("/api/v1/reviews/").json()] == [review["id"]]

    assert client.delete(f"/api/v1/reviews/{review['id']}/").status_code == 204
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": "five"}, "rating"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"pros": "x" * 1001}, "pros"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(products, ada, changes, field):
    data = {**REVIEW, "product_id": products["TEA"], **changes}
    response = post(client_of(ada), "/api/v1/reviews/", data)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Review.objects.exists()


@pytest.mark.parametrize("product", [999_999, "OLD"])
def test_a_review_of_a_product_not_on_sale_is_a_404_and_writes_nothing(products, ada, product):
    product_id = products["OLD"] if product == "OLD" else product  # archived: not on sale
    data = {**REVIEW, "product_id": product_id}
    response = post(client_of(ada), "/api/v1/reviews/", data)
    assert response.status_code == 404
    assert response.json()["detail"] == f"No product with id {product_id} is on sale."
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_product_is_a_409(products, ada):
    client = client_of(ada)
    assert (
        post(client, "/api/v1/reviews/", {**REVIEW, "product_id": products["TEA"]}).status_code
        == 201
    )
    response = post(client, "/api/v1/reviews/", {**REVIEW, "product_id": products["TEA"]})
    assert response.status_code == 409
    assert Review.objects.count() == 1


def test_anonymous_writes_are_refused_and_anothers_review_is_not_found(products, ada, bob):
    assert (
        post(client_of(), "/api/v1/reviews/", {**REVIEW, "product_id": products["TEA"]}).status_code
        == 401
    )
    review = write(ada, products["TEA"])
    assert post(client_of(bob), f"/api/v1/reviews/{review.id}/", REVIEW, "put").status_code == 404
    assert client_of(bob).delete(f"/api/v1/reviews/{review.id}/").status_code == 404
    assert Review.objects.get().title == "Lovely"


def test_votes_and_reports(products, ada, bob):
    deliver(ada, "TEA")
    review = write(ada, products["TEA"])
    vote_url, report_url = (
        f"/api/v1/reviews/{review.id}/vote/",
        f"/api/v1/reviews/{review.id}/report/",
    )

    voted = post(client_of(bob), vote_url, {"helpful": True})
    assert voted.status_code == 200
    assert (voted.json()["helpful_count"], voted.json()["viewer_vote"]) == (1, True)
    own = post(client_of(ada), vote_url, {"helpful": True})
    assert own.status_code == 403
    assert Vote.objects.count() == 1
    assert post(client_of(bob), vote_url, {}).status_code == 400
    assert (
        post(client_of(bob), "/api/v1/reviews/999999/vote/", {"helpful": True}).status_code == 404
    )

    assert post(client_of(bob), report_url, {"reason": "spam"}).status_code == 202
    assert post(client_of(bob), report_url, {"reason": "x" * 301}).status_code == 400
    assert post(client_of(ada), report_url, {}).status_code == 403


def test_the_report_that_unpublished_a_review_sent_again_is_a_202(products, ada):
    deliver(ada, "TEA")
    review = write(ada, products["TEA"])
    url = f"/api/v1/reviews/{review.id}/report/"
    shoppers = [client_of(make_customer(name)) for name in ("r1", "r2", "r3", "r4")]

    first = [post(shopper, url, {}).status_code for shopper in shoppers[:3]]
    again = post(shoppers[2], url, {})

    assert first == [202, 202, 202]
    assert Review.objects.get(pk=review.id).status == "pending"
    assert again.status_code == 202, again.content
    assert post(shoppers[3], url, {}).status_code == 404


def test_writing_is_throttled_per_customer(products, ada, settings):
    settings.REVIEWS_WRITES_PER_HOUR = 2
    client = client_of(ada)
    review = post(client, "/api/v1/reviews/", {**REVIEW, "product_id": products["TEA"]}).json()
    assert post(client, f"/api/v1/reviews/{review['id']}/", REVIEW, "put").status_code == 200
    refused = post(client, "/api/v1/reviews/", {**REVIEW, "product_id": products["MUG"]})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # The wait said once: DRF appended "Expected available in N seconds." to it.
    assert re.fullmatch(
        r"You can write or edit 2 reviews an hour; try again in \d+ minutes?\.",
        refused.json()["detail"],
    )
    assert Review.objects.count() == 1
    assert (
        post(
            client_of(make_customer("other")),
            "/api/v1/reviews/",
            {**REVIEW, "product_id": products["MUG"]},
        ).status_code
        == 201
    )


def test_the_schema_documents_every_endpoint_and_its_errors():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    create = schema.split("/api/v1/reviews/:")[1].split("/api/v1/")[0]
    for code in ("'201'", "'400'", "'403'", "'409'", "'429'"):
        assert code in create
    for path in (
        "{review_id}/:",
        "{review_id}/vote/:",
        "{review_id}/report/:",
        "products/{product_id}/:",
        "products/{product_id}/rating/:",
    ):
        assert f"/api/v1/reviews/{path}" in schema


def test_refusals_are_problem_documents_from_the_kernels_one_exception_handler(products, ada, bob):
    deliver(ada, "TEA")
    review = write(ada, products["TEA"])  # verified: published at once

    answers = {
        "invalid": post(
            client_of(ada),
            "/api/v1/reviews/",
            {**REVIEW, "product_id": products["TEA"], "rating": 0},
        ),
        "not on sale": post(client_of(ada), "/api/v1/reviews/", {**REVIEW, "product_id": 999_999}),
        "own vote": post(client_of(ada), f"/api/v1/reviews/{review.id}/vote/", {"helpful": True}),
        "missing": client_of(bob).delete(f"/api/v1/reviews/{review.id}/"),
        "duplicate": post(
            client_of(ada), "/api/v1/reviews/", {**REVIEW, "product_id": products["TEA"]}
        ),
    }

    expected = {
        "invalid": (400, "validation"),
        "not on sale": (404, "not_found"),
        "own vote": (403, "permission_denied"),
        "missing": (404, "not_found"),
        "duplicate": (409, "duplicate_review"),
    }
    for name, (status, code) in expected.items():
        response = answers[name]
        assert response["Content-Type"] == "application/problem+json", name
        assert (response.status_code, response.json()["code"]) == (status, code), name
    assert "rating" in answers["invalid"].json()["errors"]
    assert answers["not on sale"].json()["detail"] == "No product with id 999999 is on sale."
    assert "already reviewed" in answers["duplicate"].json()["detail"]
