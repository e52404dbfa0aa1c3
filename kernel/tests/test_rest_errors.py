"""kernel.rest.exception_handler: a context's DomainError becomes its own
status and body in every DRF view, with no try/except in the view."""

import pytest
from rest_framework.exceptions import NotFound
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from kernel.errors import DomainError


class Refused(DomainError):
    pass


class Gone(DomainError):
    http_status = 404


class Short(DomainError):
    http_status = 409

    def http_body(self):
        return {"detail": "Not enough.", "shortages": [{"sku": "TEA-1", "available": 2}]}


def answer(error: Exception):
    class Raising(APIView):
        def post(self, request):
            raise error

    return Raising.as_view()(APIRequestFactory().post("/", {}, format="json"))


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (Refused("Your cart is empty."), 400, {"detail": "Your cart is empty."}),
        (Refused("Too many.", field="quantity"), 400, {"quantity": ["Too many."]}),
        (Gone("Not in your cart."), 404, {"detail": "Not in your cart."}),
        (
            Short("whatever str() says"),
            409,
            {"detail": "Not enough.", "shortages": [{"sku": "TEA-1", "available": 2}]},
        ),
    ],
)
def test_a_domain_error_is_answered_with_its_status_and_body(error, status, body):
    response = answer(error)
    assert response.status_code == status
    assert response.data == body


def test_other_errors_keep_drf_s_answers():
    response = answer(NotFound("No such cart."))
    assert (response.status_code, response.data) == (404, {"detail": "No such cart."})
