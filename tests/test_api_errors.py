"""Django's own 404 and 500 under /api/ are problem documents; the shop keeps its pages."""

import json
import logging
import socket
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from gunicorn.http.errors import InvalidHeader, LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.sync import SyncWorker

from commerce import urls as project_urls
from kernel.rest import PROBLEM_MEDIA_TYPE


def boom(request):
    raise RuntimeError("unexpected")


urlpatterns = [path("api/v1/boom/", boom), path("shop/boom/", boom), *project_urls.urlpatterns]
handler404 = "kernel.rest.page_not_found"
handler500 = "kernel.rest.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unknown_api_address_is_a_problem_but_the_shop_keeps_its_page(client):
    response = client.get("/api/v1/nowhere/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["code"] == "not_found"
    assert client.get("/nowhere/")["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unhandled_error_under_the_api_is_a_problem(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["code"] == "server_error"
    assert "unexpected" not in response.content.decode()
    assert client.get("/shop/boom/")["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/inventory/availability/?skus=TEA-1&skus=TEA-2",
        "/api/v1/recommendations/cart/?skus=TEA-1&limit=2&limit=3",
    ],
)
def test_a_single_valued_query_parameter_given_twice_is_refused(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    name = "skus" if "skus=TEA-2" in url else "limit"
    assert response.json()["errors"] == {name: ["Give this parameter once."]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/inventory/availability/?skus=TEA-1&sku=TEA-2", "sku"),
        ("/api/v1/recommendations/cart/?skus=TEA-1&per_page=2", "per_page"),
        ("/api/v1/recommendations/products/1/?limit=2&offset=4", "offset"),
        ("/api/v1/orders/?page=1&per_page=50", "per_page"),
    ],
)
def test_a_query_parameter_the_route_does_not_read_is_refused_not_ignored(client, url, name):
    """``?per_page=50`` read by no one answered the default page size: an app that misspelt
    or guessed a parameter was told nothing, as the catalog's lists and closed bodies tell."""
    client.force_login(get_user_model().objects.create_user("ann", "ann@example.com", "pw"))
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["errors"] == {name: ["Not a parameter of this request."]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/recommendations/cart/?skus=TEA-1&limit=", "limit"),
        ("/api/v1/recommendations/products/1/?limit=", "limit"),
        ("/api/v1/orders/?page=", "page"),
    ],
)
def test_a_query_parameter_sent_empty_is_refused_not_taken_for_its_default(client, url, name):
    """``?page=`` is no whole number (the schema says integer): a 400 naming it, as the
    catalog's lists answer, not DRF's form reading that takes it for a parameter left out."""
    client.force_login(get_user_model().objects.create_user("ann", "ann@example.com", "pw"))
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert list(response.json()["errors"]) == [name]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1.0", "+1", "\u0661", "\uff11", " 1"])
@pytest.mark.parametrize(
    ("path", "name"),
    [("/api/v1/orders/?", "page"), ("/api/v1/recommendations/cart/?skus=TEA-1&", "limit")],
)
def test_a_query_integer_is_ascii_digits_as_the_catalogs_lists_read_it(client, path, name, value):
    """DRF's ``IntegerField`` reads "1.0", "+1" and other scripts' digits as 1; the schema's
    integer (and the catalog's lists, ``kernel.quantities.whole_number``) refuse them."""
    client.force_login(get_user_model().objects.create_user("ann", "ann@example.com", "pw"))
    response = client.get(path + urlencode({name: value}))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


@pytest.mark.django_db
def test_a_wrong_token_is_refused_on_any_operation_and_the_schema_says_so(client):
    """Even an operation open to anonymous callers refuses a token that is not (or no more) one."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    reading_tokens = [
        (path, method, operation["responses"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if {"knoxApiToken": []} in operation.get("security", [])
    ]
    assert ("/api/v1/catalog/products/", "get") in {(p, m) for p, m, _ in reading_tokens}
    assert all("401" in responses for _, _, responses in reading_tokens)
    refused = client.get("/api/v1/catalog/products/", HTTP_AUTHORIZATION="Token nonsense")
    assert refused.status_code == 401
    assert refused["Content-Type"] == PROBLEM_MEDIA_TYPE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "code", "request_args"),
    [
        (404, "not_found", {"method": "GET", "path": "/api/v1/cart/no-such-cart/"}),
        (405, "method_not_allowed", {"method": "DELETE", "path": "/api/v1/catalog/categories/"}),
        (406, "not_acceptable",
         {"method": "GET", "path": "/api/v1/catalog/categories/", "HTTP_ACCEPT": "text/csv"}),
        (415, "unsupported_media_type",
         {"method": "POST", "path": "/api/v1/cart/", "data": "x", "content_type": "text/plain"}),
        (413, "payload_too_large",
         {"method": "POST", "path": "/api/v1/cart/", "data": "{}" + " " * 600_000,
          "content_type": "application/json"}),
        (414, "uri_too_long",
         {"method": "GET", "path": "/api/v1/search/?q=" + "t" * 3000}),
    ],
)  # fmt: skip
def test_every_refusal_over_http_is_a_problem_document(client, status, code, request_args):
    """Through the whole stack (edge, DRF, Django's handlers), not just the exception handler."""
    response = client.generic(**request_args)
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert {"type", "title", "detail"} <= set(body)
    if status == 405:
        assert "GET" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "accept", "status"),
    [
        ("/api/v1/docs/", "application/json", 406),
        ("/api/v1/redoc/", "application/xml", 406),
        ("/api/v1/schema/", "application/xml", 406),
        ("/api/v1/schema/?format=xml", "*/*", 406),
    ],
)
def test_a_refusal_by_a_page_that_renders_html_or_yaml_is_still_json(client, path, accept, status):
    """The schema (YAML first) and the docs pages (HTML) render their answers with their own
    renderers; their refusals must be the problem document their ``Content-Type`` says."""
    response = client.get(path, HTTP_ACCEPT=accept)
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["status"] == status


@pytest.mark.parametrize(
    ("refusal", "status", "code"),
    [
        (LimitRequestLine(16384, 8190), 414, "uri_too_long"),
        (LimitRequestHeaders("Request Header Fields Too Large"), 431, "headers_too_large"),
        (InvalidHeader("COOKIE"), 400, "bad_request"),
    ],
)
def test_a_request_gunicorn_refuses_itself_gets_a_problem_document(refusal, status, code):
    """A request line or header gunicorn will not read never reaches Django: its answer
    comes from gunicorn's worker, through the configuration's ``write_problem``."""
    import commerce.gunicorn  # noqa: F401 (replaces gunicorn's HTML error page)

    server_side, client_side = socket.socketpair()
    with server_side, client_side:
        worker = SimpleNamespace(log=logging.getLogger("gunicorn.error"))
        SyncWorker.handle_error(worker, None, server_side, ("127.0.0.1", 1), refusal)
        head, _, body = client_side.recv(65536).partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} ".encode())
    assert f"Content-Type: {PROBLEM_MEDIA_TYPE}".encode() in head
    problem = json.loads(body)
    assert (problem["status"], problem["code"]) == (status, code)


@pytest.mark.django_db
def test_a_json_key_given_twice_is_a_400_naming_it_not_the_last_one_taken(client):
    """An app's encoder that writes ``quantity`` twice meant one of them; the API does not guess."""
    cart = client.post("/api/v1/cart/", {}, content_type="application/json").json()["token"]
    response = client.post(
        f"/api/v1/cart/{cart}/lines/",
        '{"sku": "TEA-1", "quantity": 1, "quantity": 500}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["errors"] == {"quantity": ["This field is given more than once."]}


def test_every_api_view_reads_bodies_with_the_api_parser_alone():
    """The parser's refusals (depth, NUL, repeated keys, wildcard types) hold on every route
    only if no view reads its body with another parser."""
    from django.urls import URLPattern, get_resolver
    from rest_framework.views import APIView

    from kernel.parsers import JSONParser

    def views(patterns):
        for entry in patterns:
            if isinstance(entry, URLPattern):
                yield entry.callback
            else:
                yield from views(entry.url_patterns)

    api_views = [view.cls for view in views(get_resolver().url_patterns) if hasattr(view, "cls")]
    readers = {cls: cls.parser_classes for cls in api_views if issubclass(cls, APIView)}
    assert len(readers) >= 30
    assert {cls: p for cls, p in readers.items() if list(p) != [JSONParser]} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["*/*", "application/*"])
def test_a_write_whose_content_type_is_a_wildcard_is_a_415(client, content_type):
    """A wildcard names no type: DRF's negotiation let it match the JSON parser."""
    response = client.post("/api/v1/cart/", "{}", content_type=content_type)
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.django_db
def test_a_body_under_another_charset_than_utf_8_is_a_415_not_mojibake(client):
    """UTF-8 bytes labelled latin-1 were decoded as latin-1: "Müller" became "MÃ¼ller"."""
    body = json.dumps(
        {"email": "zoe@example.com", "password": "correct horse battery"},
    ).encode()
    response = client.generic(
        "POST", "/api/v1/auth/sign-up/", body, content_type="application/json; charset=latin-1"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert "latin-1" in response.json()["detail"]


def _schema_routes():
    """Every path of the schema with its methods, its parameters filled in (any value: a
    wrong method is refused before anything is looked up)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for template, operations in schema["paths"].items():
        methods = {m.upper() for m in operations if m in ("get", "post", "put", "patch", "delete")}
        path = template
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    path = path.replace("{" + parameter["name"] + "}", "1")
        yield path, methods


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "PROPFIND"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_method_a_route_does_not_answer_is_a_405_listing_that_routes_methods(
    client, django_user_model, method, signed_in
):
    """``Allow`` listed every method of the site on an unknown method, and a known one the
    route does not answer was a 401 or 403 (authentication and permissions ran first):
    a ``GET`` of a staff-only POST route told a customer to get a staff role."""
    if signed_in:
        client.force_login(django_user_model.objects.create_user("shopper", "s@example.com"))
    wrong = []
    for address, methods in _schema_routes():
        if method in methods:
            continue
        allowed = methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
        response = client.generic(method, address)
        got = {m.strip() for m in response.get("Allow", "").split(",") if m.strip()}
        if response.status_code != 405 or got != allowed:
            wrong.append((address, response.status_code, response.get("Allow")))
        else:
            assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
            assert response.json()["code"] == "method_not_allowed"
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["", " "])
@pytest.mark.parametrize("path", ["/api/v1/search/", "/api/v1/catalog/categories/"])
def test_an_empty_accept_header_is_any_type_not_a_406(client, path, accept):
    response = client.get(path, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/search/", "/api/v1/catalog/categories/", "/api/v1/home/"]
)
def test_an_unknown_format_is_a_406_naming_it_not_a_404(client, path):
    """DRF answered ``?format=xml`` with "Not found.": the page, the cart, the order seemed
    not to exist."""
    response = client.get(path, {"format": "xml"})
    assert response.status_code == 406
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["code"] == "not_acceptable"
    assert response.json()["detail"] == "format=xml: this address answers json only."


@pytest.mark.django_db
def test_the_schema_still_answers_the_formats_it_has(client):
    assert client.get("/api/v1/schema/", {"format": "json"}).status_code == 200
    assert client.get("/api/v1/schema/", {"format": "yaml"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "status"),
    [
        ("application/json;q=0", 406),
        ("application/json; q=0.0, */*", 406),  # the closer range decides
        ("*/*;q=0", 406),
        ("*/*;q=0, application/json", 200),
        ("application/json;q=0.1", 200),
        ("application/json;q=abc", 200),  # an unreadable weight is the default
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/catalog/categories/", "/api/v1/home/"])
def test_a_type_weighted_zero_is_refused_not_answered(client, path, accept, status):
    response = client.get(path, HTTP_ACCEPT=accept)
    assert response.status_code == status
    if status == 406:
        assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
        assert response.json()["code"] == "not_acceptable"
