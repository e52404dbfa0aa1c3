"""The catalog's read-only REST API: filters, 400s naming the parameter, conditional GETs."""

import pytest

from tests.builders import product, sweater, upsert

pytestmark = pytest.mark.usefixtures("structure")


@pytest.fixture
def shop():
    upsert(sweater(), product("PAN-1", "Copper Pan", category="pans", brand="Coppercraft"))


def test_products_filter_by_category_brand_and_attribute(client, shop):
    data = client.get("/api/v1/catalog/products/", {"category": "kitchen"}).json()
    assert [p["sku"] for p in data["results"]] == ["PAN-1"]
    data = client.get("/api/v1/catalog/products/", {"attr_size": "m"}).json()
    assert [p["variant_skus"] for p in data["results"]] == [["SW-1-S", "SW-1-M", "SW-1-L"]]
    data = client.get("/api/v1/catalog/products/", {"brand": "northwool", "per_page": 12}).json()
    assert (data["count"], data["page"], data["page_count"]) == (1, 1, 1)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"sort": "cheap"}, "sort"),
        ({"attr_flavour": "x"}, "attr_flavour"),
        ({"per_page": "1000"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(client, shop, params, parameter):
    response = client.get("/api/v1/catalog/products/", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


@pytest.mark.parametrize("path", ["/api/v1/catalog/products/", "/api/v1/search/"])
def test_a_page_past_the_last_is_a_404_naming_the_page_count(client, shop, path):
    """As on every paged list (kernel.rest.existing_page); a list with nothing has its one page."""
    past = client.get(path, {"page": "2"})
    assert (past.status_code, past.json()["detail"]) == (404, "page 2 of 1")
    assert client.get(path, {"q": "nothing sells this", "page": "2"}).status_code == 200


@pytest.mark.parametrize(
    "query", ["page=1&page=2", "q=a&q=b", "sort=title&sort=newest", "per_page=12&per_page=24"]
)
@pytest.mark.parametrize("path", ["/api/v1/catalog/products/", "/api/v1/search/"])
def test_a_parameter_given_twice_is_a_400_naming_it(client, shop, path, query):
    """Which one was meant? Repeatable ones (brand, attr_<code>) are filters, not this."""
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [query.partition("=")[0]]
    assert client.get(f"{path}?brand=northwool&brand=panhaus").status_code == 200


@pytest.mark.parametrize("parameter", ["in_stock", "rating", "sort", "page", "per_page"])
@pytest.mark.parametrize("path", ["/api/v1/catalog/products/", "/api/v1/search/"])
def test_a_choice_sent_empty_is_a_400_naming_it_and_the_storefront_shows_the_default(
    client, shop, path, parameter
):
    """The schema allows no empty value (schemathesis found ``sort=`` answered 200)."""
    response = client.get(path, {parameter: ""})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]
    assert client.get("/search/", {"q": "pan", parameter: ""}).status_code == 200


def test_a_page_past_the_last_is_a_404(client, shop):
    response = client.get("/api/v1/catalog/products/", {"page": "9"})
    assert response.status_code == 404
    assert response.json()["detail"] == "page 9 of 1"


def test_a_price_band_from_high_to_low_holds_no_products(client, shop):
    response = client.get("/api/v1/catalog/products/", {"price": "10-5"})
    assert response.status_code == 200
    assert response.json()["results"] == []
    search = client.get("/api/v1/search/", {"price": "10-5"})
    assert search.status_code == 200
    assert search.json()["results"] == []


def test_an_unknown_category_is_a_404_naming_it(client, shop):
    response = client.get("/api/v1/catalog/products/", {"category": "nowhere"})
    assert response.status_code == 404
    assert response.json()["detail"] == "no category 'nowhere'"


@pytest.mark.parametrize("price", ["1.234-5", "1e5-", " 5-6", "\uff10-5", "5", "5-6-7"])
def test_a_price_the_schemas_pattern_refuses_is_a_400(client, shop, price):
    response = client.get("/api/v1/catalog/products/", {"price": price})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["price"]


@pytest.mark.parametrize("price", ["", "-", "10-", "-20", "9.99-20", "5-5"])
def test_a_price_the_schemas_pattern_allows_is_read(client, shop, price):
    assert client.get("/api/v1/catalog/products/", {"price": price}).status_code == 200


def test_the_schema_documents_every_listing_parameter(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in ("/api/v1/catalog/products/", "/api/v1/search/"):
        operation = schema["paths"][path]["get"]
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert names >= {"q", "category", "brand", "price", "in_stock", "rating", "sort",
                         "page", "per_page"}, path  # fmt: skip
        assert "attr_<code>" in operation["description"]


def test_product_by_id_or_slug(client, shop):
    by_slug = client.get("/api/v1/catalog/products/copper-pan-pan-1/").json()
    by_id = client.get(f"/api/v1/catalog/products/{by_slug['id']}/").json()
    assert by_id == by_slug
    assert [c["slug"] for c in by_id["breadcrumbs"]] == ["kitchen", "pans"]
    assert client.get("/api/v1/catalog/products/nope/").status_code == 404


def test_category_tree(client, shop):
    tree = client.get("/api/v1/catalog/categories/").json()
    kitchen = next(node for node in tree if node["slug"] == "kitchen")
    assert kitchen["children"] == [{"slug": "pans", "name": "Pans", "children": []}]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/catalog/products/no-such-product/", 404),
        ("/api/v1/catalog/products/?per_page=13", 400),
        ("/api/v1/catalog/products/?page=999", 404),
        ("/api/v1/catalog/products/?category=nope", 404),
    ],
)
def test_a_conditional_get_of_nothing_is_its_404_or_400_never_a_304(client, shop, url, status):
    modified = client.get("/api/v1/catalog/products/")["Last-Modified"]
    for validators in ({"If-None-Match": "*"}, {"If-Modified-Since": modified}):
        assert client.get(url, headers=validators).status_code == status, validators


@pytest.mark.parametrize("url", ["/api/v1/catalog/products/", "/api/v1/catalog/categories/"])
def test_conditional_get_answers_304_until_the_catalog_changes(client, shop, url):
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    upsert(product("PAN-2", "Steel Pan", category="pans"))
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_yes_no_filter_takes_yes_or_no(client, shop):
    data = client.get("/api/v1/catalog/products/", {"attr_organic": "yes"}).json()
    assert data["count"] == 1
    response = client.get("/api/v1/catalog/products/", {"attr_organic": "maybe"})
    assert response.json()["errors"] == {"attr_organic": ["yes or no"]}


@pytest.mark.parametrize("key", ["\u00b9", "\u2460", "\u0661", "\uff11"])
def test_a_key_of_other_digits_is_no_product_id(client, shop, key):
    """``str.isdigit`` is true for superscripts and circled digits, which ``int`` cannot
    read (a 500), and for other scripts' digits, which it reads as an id (an alias of
    product 1 per script): an id is ASCII digits, anything else is a slug."""
    assert client.get(f"/api/v1/catalog/products/{key}/").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/catalog/products/", "/api/v1/catalog/categories/"])
@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_304_repeats_the_etag_and_vary_of_the_200_it_stands_for(client, shop, url, encoding):
    """The gzipped 200 said W/"abc" and its 304 "abc", without ``Vary: Accept-Encoding``:
    an app comparing tags, or a cache keeping the 304, read another representation."""
    first = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
    again = client.get(url, HTTP_ACCEPT_ENCODING=encoding, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert first["ETag"].startswith('W/"')

    def vary(response):
        return {name.strip().lower() for name in response["Vary"].split(",")}

    assert vary(again) == vary(first)
    assert "accept-encoding" in vary(again)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/catalog/products/",
        "/api/v1/catalog/products/copper-pan-pan-1/",
        "/api/v1/catalog/categories/",
    ],
)
@pytest.mark.parametrize(
    "precondition",
    [{"If-Match": '"another"'}, {"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}],
)
def test_a_failed_precondition_is_a_412_problem(client, shop, url, precondition):
    """Django's ``get_conditional_response`` answers it with an empty text/html 412."""
    response = client.get(url, headers=precondition)
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "precondition_failed"
