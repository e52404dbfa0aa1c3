"""Whatever a URL's query string holds, pages answer 200 and the API 200 or 400, never 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import sweater, upsert

PARAMS = ["q", "category", "brand", "attr_size", "attr_nope", "price", "in_stock", "sort",
          "page", "per_page", "unknown"]  # fmt: skip
query_strings = st.dictionaries(
    st.sampled_from(PARAMS), st.text(max_size=30).filter(lambda t: "\x00" not in t), max_size=5
)


@pytest.fixture
def shop(structure):
    upsert(sweater())


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=query_strings)
def test_any_query_string_is_answered_without_a_server_error(client, shop, params):
    for url in ("/", "/c/clothing/", "/search/"):
        assert client.get(url, params).status_code == 200
    for url in ("/api/v1/search/", "/api/v1/catalog/products/"):
        response = client.get(url, params)
        assert response.status_code in (200, 400, 404)
        if response.status_code == 400:
            assert set(response.json()["errors"]) <= set(PARAMS)
        if response.status_code == 404:  # a category slug naming none, a page past the last
            assert response.json()["detail"].startswith(("no category", "page "))


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["¹", "٣", "²⁴"])
def test_digits_other_than_ascii_are_a_bad_page_number_not_a_server_error(client, shop, value):
    assert client.get("/", {"page": value, "per_page": value}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/search/", "/api/v1/catalog/products/"])
@pytest.mark.parametrize(
    ("name", "value"),
    [("page", "\uff12"), ("rating", "\u0663"), ("per_page", "\uff12\uff14")],
    ids=["fullwidth page", "arabic-indic rating", "fullwidth per_page"],
)
def test_the_api_refuses_digits_other_than_ascii_on_the_parameter(client, shop, url, name, value):
    """The schema's integers are ASCII digits; int() would read these too."""
    response = client.get(url, {name: value})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {name}
