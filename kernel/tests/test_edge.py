"""The edge middleware: each class of hostile input is a 4xx in the caller's language."""

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.client import BOUNDARY, encode_multipart

from kernel.edge import edge_middleware

factory = RequestFactory()


def passed(request):
    """The rest of the stack: answers 200 with the body it was given, read from the stream."""
    return HttpResponse(request.read())


middleware = edge_middleware(passed)


def api_error(response) -> dict:
    """The API's problem document, checked to be one (kernel.rest)."""
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == response.status_code
    return body


def test_clean_requests_pass_with_their_body_still_readable():
    request = factory.post("/api/v1/cart/", {"sku": "TEA-1"})
    response = middleware(request)
    assert response.status_code == 200
    assert b"TEA-1" in response.content
    assert b"TEA-1" in request.body  # kept for later readers (the idempotency fingerprint)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "BREW"])
@pytest.mark.parametrize("path", ["/products/tea/", "/api/v1/catalog/products/"])
def test_a_method_no_route_answers_is_a_405_with_allow(method, path):
    """Under the API ``Allow`` is the route's own methods; a page's view does not say."""
    response = middleware(factory.generic(method, path))
    assert response.status_code == 405
    if path.startswith("/api/"):
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert api_error(response)["code"] == "method_not_allowed"
    else:
        assert response["Allow"] == "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"


def test_a_nul_in_the_path_is_a_400_in_the_api_format_under_the_api():
    response = middleware(factory.get("/api/v1/orders/A\x00B/"))
    assert response.status_code == 400
    assert api_error(response)["detail"] == "The address contains a null character."


@pytest.mark.django_db
def test_a_nul_in_a_storefront_path_is_the_shops_400_page():
    response = middleware(factory.get("/products/tea\x00/"))
    assert response.status_code == 400
    assert b"We could not read that request" in response.content
    assert b"null character" in response.content


@pytest.mark.django_db
def test_a_german_page_is_refused_in_german_with_the_way_back_to_the_german_shop():
    response = middleware(factory.get("/de/search/", {"q": "a\x00b"}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nullzeichen sind nicht erlaubt." in page
    assert 'href="/de/"' in page
    assert "We could not read that request" not in page


@pytest.mark.parametrize("path", ["/api/v1/cart/", "/cart/add/"])
def test_a_compressed_body_is_a_415_for_the_parsers_read_bodies_as_sent(path):
    request = factory.post(
        path, b"{}", content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    response = middleware(request)
    assert response.status_code == 415
    if path.startswith("/api/"):
        assert "Content-Encoding gzip" in api_error(response)["detail"]
    plain = factory.post(path, b"{}", content_type="application/json")
    assert middleware(plain).status_code == 200


def test_a_nul_in_a_query_parameter_names_the_parameter():
    response = middleware(factory.get("/api/v1/catalog/products/", {"q": "tea\x00"}))
    assert response.status_code == 400
    assert api_error(response)["errors"] == {"q": ["Null characters are not allowed."]}


@pytest.mark.parametrize(
    ("method", "content_type"),
    [
        ("post", "application/x-www-form-urlencoded"),
        ("put", "application/x-www-form-urlencoded"),
        ("post", "multipart/form-data"),
        ("patch", "multipart/form-data"),
    ],
)
def test_a_nul_in_a_form_field_names_the_field_whatever_the_method(method, content_type):
    if content_type == "multipart/form-data":
        data = encode_multipart(BOUNDARY, {"city": "Ber\x00lin"})
        content_type = f"multipart/form-data;boundary={BOUNDARY}"  # sent as encoded here
    else:
        data = "city=Ber%00lin"
    path = "/api/v1/accounts/addresses/" + ("" if method == "post" else "1/")
    request = getattr(factory, method)(path, data, content_type)
    response = middleware(request)
    assert response.status_code == 400
    assert api_error(response)["errors"] == {"city": ["Null characters are not allowed."]}


def test_a_nul_in_a_header_is_a_400():
    response = middleware(factory.post("/api/v1/cart/", HTTP_IDEMPOTENCY_KEY="k\x00"))
    assert response.status_code == 400
    assert "Idempotency-Key header" in api_error(response)["detail"]


@override_settings(EDGE_MAX_URL_LENGTH=100)
def test_an_overlong_address_is_a_414():
    response = middleware(factory.get("/api/v1/catalog/products/", {"q": "x" * 100}))
    assert response.status_code == 414
    assert "longer than 100" in api_error(response)["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_an_oversized_api_body_is_a_413_whatever_its_type(content_type):
    response = middleware(factory.post("/api/v1/cart/", "x" * 1001, content_type))
    assert response.status_code == 413
    assert "larger than 1000 bytes" in api_error(response)["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversized_api_upload_is_a_413_but_an_admin_upload_streams_through():
    def upload():
        return {"file": SimpleUploadedFile("tea.jpg", b"x" * 2000)}

    assert middleware(factory.post("/api/v1/cart/", upload())).status_code == 413
    admin = middleware(factory.post("/admin/catalog/productimage/add/", upload()))
    assert admin.status_code == 200


def test_a_malformed_multipart_body_is_a_400():
    request = factory.post(
        "/api/v1/cart/", b"--x\r\nbroken", content_type="multipart/form-data; boundary=\x01"
    )
    response = middleware(request)
    assert response.status_code == 400
    assert "could not be read" in api_error(response)["detail"]


def test_too_many_query_parameters_are_a_400_in_the_api_format():
    response = middleware(factory.get("/api/v1/catalog/products/?" + "a&" * 1001))
    assert response.status_code == 400
    assert "could not be read" in api_error(response)["detail"]


def test_an_address_is_measured_as_it_arrives_percent_encoded():
    """700 "é" are 700 characters of the path but 4,200 of the request line."""
    assert middleware(factory.get("/search/?q=" + "x" * 2000)).status_code == 200
    assert middleware(factory.get("/search/" + "é" * 700 + "/")).status_code == 414


def test_a_head_is_answered_with_the_get_s_headers_and_no_body():
    page = b"<!doctype html><title>Tea</title>"
    answered = edge_middleware(lambda request: HttpResponse(page))
    get, head = answered(factory.get("/products/tea/")), answered(factory.head("/products/tea/"))
    assert get.content == page
    assert head.content == b""
    assert head["Content-Length"] == str(len(page))
    refused = middleware(factory.head("/products/" + "x" * 5000))
    assert (refused.status_code, refused.content) == (414, b"")


def chunked(path: str, body: bytes, method: str = "patch"):
    """A request whose body came chunked: no Content-Length, and a stream the server
    de-chunked and ends with the body (``wsgi.input_terminated``), as gunicorn's."""
    return getattr(factory, method)(
        path,
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
        **{"wsgi.input": BytesIO(body), "wsgi.input_terminated": True},
    )


def test_a_chunked_body_is_read_not_taken_for_an_empty_one():
    """Django reads ``Content-Length`` bytes, so a chunked body (an app streaming a body of
    unknown length) was read as empty: ``{"quantity": 0}`` became ``{}``, which changes
    nothing, and the app was told it had."""
    body = b'{"quantity": 0}'
    request = chunked("/api/v1/cart/T/lines/TEA-1/", body)
    response = middleware(request)
    assert response.status_code == 200
    assert response.content == body
    assert request.body == body


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
def test_an_oversized_chunked_body_is_a_413():
    response = middleware(chunked("/api/v1/cart/", b'{"sku": "' + b"x" * 20 + b'"}', "post"))
    assert response.status_code == 413
    assert api_error(response)["code"] == "payload_too_large"
