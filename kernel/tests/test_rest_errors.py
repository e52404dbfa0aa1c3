"""kernel.rest.exception_handler: every API error is one problem document.

A context's DomainError becomes its own status, with its members kept, in
every DRF view with no try/except in the view; DRF's own refusals answer
in the same format (Django's 404 and 500: tests/test_api_errors.py)."""

import pytest
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from kernel.errors import DomainError
from kernel.rest import PROBLEM_MEDIA_TYPE, field_errors

BASE = "https://commerce.example/problems/"


class Refused(DomainError):
    pass


class Gone(DomainError):
    http_status = 404


class Short(DomainError):
    http_status = 409

    def http_body(self):
        return {
            "detail": "Not enough.",
            "code": "out_of_stock",
            "shortages": [{"sku": "TEA-1", "available": 2}],
        }


def answer(error: Exception):
    class Raising(APIView):
        def post(self, request):
            raise error

    return Raising.as_view()(APIRequestFactory().post("/", {}, format="json")).render()


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (
            Refused("Your cart is empty."),
            400,
            {"code": "bad_request", "detail": "Your cart is empty.", "title": "Bad Request"},
        ),
        (
            Refused("Too many.", field="quantity"),
            400,
            {
                "code": "validation",
                "detail": "quantity: Too many.",
                "errors": {"quantity": ["Too many."]},
                "title": "Bad Request",
            },
        ),
        (
            Gone("Not in your cart."),
            404,
            {"code": "not_found", "detail": "Not in your cart.", "title": "Not Found"},
        ),
        (
            Short("whatever str() says"),
            409,
            {
                "code": "out_of_stock",
                "detail": "Not enough.",
                "shortages": [{"sku": "TEA-1", "available": 2}],
                "title": "Conflict",
            },
        ),
    ],
)
def test_a_domain_error_is_a_problem_with_its_status_and_members(error, status, body):
    response = answer(error)
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    expected_type = BASE + body["code"].replace("_", "-")
    assert response.data == {**body, "status": status, "type": expected_type}


def test_drf_s_own_refusals_are_problems_with_their_code():
    response = answer(NotFound("No such cart."))
    assert response.status_code == 404
    assert response.data == {
        "type": BASE + "not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "No such cart.",
        "code": "not_found",
    }


def test_a_throttled_request_keeps_retry_after():
    response = answer(Throttled(wait=30))
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert response.data["code"] == "throttled"


def test_nested_validation_errors_are_named_by_their_path():
    response = answer(
        ValidationError(
            {
                "shipping_address": {"postal_code": ["Required."]},
                "lines": [{}, {"quantity": ["Too many."]}],
                "non_field_errors": ["Pick one."],
            }
        )
    )
    assert response.data["errors"] == {
        "shipping_address.postal_code": ["Required."],
        "lines.1.quantity": ["Too many."],
        "non_field_errors": ["Pick one."],
    }
    assert response.data["code"] == "validation"


def test_a_bare_list_of_messages_is_a_non_field_error():
    assert field_errors(["Too many.", "Too late."]) == {
        "non_field_errors": ["Too many.", "Too late."]
    }
