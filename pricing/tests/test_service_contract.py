"""Pricing's remote contract: which functions and errors are published, how values cross, and
stubs that keep their function's signature, so a wrong call fails where it would in process."""

from __future__ import annotations

import inspect

import pytest

from kernel.errors import DomainError
from kernel.remote import wire
from kernel.remote.breaker import CircuitBreaker
from kernel.remote.client import Client, Endpoint
from pricing import api, dtos


def test_the_published_functions_are_the_modules_own_public_ones():
    published = wire.published_functions(vars(api))
    assert "quote" in published
    assert published["quote"] is api.quote
    assert not {"Money", "BasketLine", "settings", "remote", "Iterable"} & set(published)
    assert all(not name.startswith("_") for name in published)


def test_the_published_errors_are_the_dtos_domain_errors():
    errors = wire.published_errors(dtos)
    assert errors["VoucherRejected"] is dtos.VoucherRejected
    assert all(issubclass(error, DomainError) for error in errors.values())
    assert "Money" not in errors


def test_an_error_the_caller_does_not_know_is_not_raised_by_name():
    body = {"error": {"type": "SystemExit", "args": [], "attributes": {}}}
    assert wire.decode_error(body, wire.published_errors(dtos)) is None


@pytest.fixture
def client():
    return Client(
        endpoint=Endpoint(
            context="pricing", url="http://127.0.0.1:9/internal/pricing/v1/", secret="s",
            connect_timeout=1, read_timeout=1, retries=0, backoff=0,
        ),
        errors=wire.published_errors(dtos),
        breaker=CircuitBreaker(threshold=1, cooldown=60),
    )  # fmt: skip


def test_a_stub_has_its_functions_name_signature_and_docstring(client):
    stub = client.stub("quote", api.quote, idempotent=True)
    assert (stub.__name__, stub.__doc__) == ("quote", api.quote.__doc__)
    assert inspect.signature(stub) == inspect.signature(api.quote)


def test_a_wrong_call_fails_at_the_call_site_without_asking_the_service(client):
    stub = client.stub("prices_for", api.prices_for, idempotent=True)
    with pytest.raises(TypeError):
        stub(["TEA-1"], "EUR")  # keyword-only, as in process
    with pytest.raises(TypeError):
        stub(skus=["TEA-1"], currency="EUR", colour="red")
    assert client.breaker.state == "closed"  # nothing was sent


def test_not_idempotent_must_name_functions_that_exist(client):
    functions = {"quote": api.quote}
    with pytest.raises(ValueError, match="quoet"):
        client.stubs(functions, not_idempotent={"quoet": "a typo"})


def test_values_cross_as_json_and_back_by_the_functions_hints():
    body = wire.encode_arguments({"lines": (dtos.BasketLine("TEA-1", 2) for _ in range(2))})
    assert body == {"arguments": {"lines": [{"sku": "TEA-1", "quantity": 2}] * 2}}
    decoded = wire.decode_arguments(
        api.quote, {"arguments": {**body["arguments"], "currency": "EUR"}}
    )
    assert decoded["lines"] == [dtos.BasketLine("TEA-1", 2)] * 2
    with pytest.raises(wire.MalformedCall):
        wire.decode_arguments(api.quote, {"arguments": {"currency": "EUR"}})  # lines missing
