"""Every operation of the schema refuses a query parameter it does not read (400 naming it).

The operations are read from the schema, so a route added later is walked
without anyone adding it here. A handler marked ``reads_query`` checks its
own parameters as it reads them (its context's tests show it), after its
own earlier refusals (a caller not signed in, a product that is not there);
every other route reads none, and used to answer ``?page=2`` of the address
book, or ``?zzz=1`` of a cart, as if the parameter had been read.
"""

import re

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from kernel.rest import PROBLEM_MEDIA_TYPE, UNKNOWN_PARAMETER

pytestmark = pytest.mark.django_db


def reads_no_query(method: str, url: str) -> bool:
    return not getattr(getattr(resolve(url).func.cls, method.lower()), "reads_query", False)


def walked() -> list[tuple[str, str, dict]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), re.sub(r"{\w+}", "1", path), operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def operations() -> list[tuple[str, str]]:
    return [(method, url) for method, url, _ in walked() if reads_no_query(method, url)]


def test_a_handler_reads_a_query_exactly_where_the_schema_names_its_parameters():
    """Else the schema's own parameters would be refused, or a route would read unchecked."""
    assert {
        (method, url)
        for method, url, operation in walked()
        if any(parameter["in"] == "query" for parameter in operation.get("parameters", ()))
    } == {(method, url) for method, url, _ in walked() if not reads_no_query(method, url)}


@pytest.mark.parametrize(("method", "url"), operations())
def test_a_parameter_the_operation_does_not_read_is_refused(method, url):
    response = APIClient().generic(method, f"{url}?zzz=1&page=2", "{}", "application/json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["errors"] == {"zzz": [UNKNOWN_PARAMETER], "page": [UNKNOWN_PARAMETER]}


@pytest.mark.parametrize(
    "url", ["/api/v1/accounts/me/?format=json", "/api/v1/schema/?format=json&lang=en"]
)
def test_the_format_and_the_schemas_own_parameters_are_read(url):
    assert APIClient().get(url).status_code in (200, 401)


def test_a_method_the_route_does_not_answer_is_still_a_405():
    response = APIClient().get("/api/v1/orders/1/refunds/?zzz=1")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"


@pytest.mark.parametrize("url", ["/api/v1/search/", "/api/v1/catalog/products/"])
def test_a_route_that_reads_its_query_names_an_unknown_one_in_the_same_words(url):
    response = APIClient().get(url, {"zzz": "1"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"zzz": [UNKNOWN_PARAMETER]}
