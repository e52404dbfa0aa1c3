"""What travels between a context's client and its service, in JSON.

A call is ``POST /internal/<context>/v1/<function>`` with the body
``{"arguments": {<name>: <value>}}``, each value encoded by
``kernel.eventcodec.to_json`` and decoded on the other side by the
function's own type hints. The answer is ``200 {"result": <value>}`` or,
when the function refused with one of the context's published
``DomainError`` classes, ``422 {"error": {"type", "args", "attributes"}}``,
which the client raises again as the same class with the same message and
attributes (``VoucherRejected.code`` and ``.reason``...), so a caller's
``except`` clauses work unchanged.

Errors are looked up by class name among the ones the context publishes in
its ``dtos`` module (``published_errors``), never imported by a name that
came off the wire.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Mapping
from types import ModuleType

from kernel.errors import DomainError
from kernel.eventcodec import from_json, to_json

#: The status of an answer that carries a domain error.
DOMAIN_ERROR_STATUS = 422


class MalformedCall(ValueError):
    """Arguments that do not fit the function's signature or hints (a bug in the caller)."""


def published_functions(namespace: Mapping[str, object]) -> dict[str, Callable]:
    """The public functions defined in the module whose globals are ``namespace``.

    That is a context's ``api``: what it imports (DTO classes, helpers) and
    its private functions are left out.
    """
    module = namespace["__name__"]
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_") and inspect.isfunction(value) and value.__module__ == module
    }


def published_errors(dtos: ModuleType) -> dict[str, type[DomainError]]:
    """The ``DomainError`` classes a context's ``dtos`` module defines or re-exports, by name."""
    return {
        name: value
        for name, value in vars(dtos).items()
        if isinstance(value, type) and issubclass(value, DomainError)
    }


def encode_arguments(arguments: Mapping[str, object]) -> dict:
    return {"arguments": to_json(dict(arguments))}


def decode_arguments(function: Callable, body: object) -> dict[str, object]:
    """The keyword arguments for ``function`` in a call's body; MalformedCall if they misfit."""
    if not isinstance(body, dict) or not isinstance(body.get("arguments"), dict):
        raise MalformedCall('the body must be {"arguments": {...}}')
    hints = _hints(function)
    try:
        arguments = {
            name: from_json(hints.get(name, typing.Any), value)
            for name, value in body["arguments"].items()
        }
        inspect.signature(function).bind(**arguments)
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as exc:
        raise MalformedCall(f"arguments do not fit {function.__name__}: {exc}") from exc
    return arguments


def encode_result(value: object) -> dict:
    return {"result": to_json(value)}


def decode_result(function: Callable, body: dict) -> object:
    return from_json(_hints(function).get("return", typing.Any), body["result"])


def encode_error(error: DomainError) -> dict:
    attributes = {name: value for name, value in vars(error).items() if not name.startswith("_")}
    return {
        "error": {
            "type": type(error).__name__,
            "args": to_json(error.args),
            "attributes": to_json(attributes),
        }
    }


def decode_error(body: dict, errors: Mapping[str, type[DomainError]]) -> DomainError | None:
    """The error ``encode_error`` described, or None if it is not one of ``errors``.

    Built without calling the class's ``__init__`` (whose parameters differ
    from class to class), by restoring what it had set: ``args`` and the
    instance attributes, JSON lists read back as tuples (errors are values).
    """
    error = body.get("error") if isinstance(body, dict) else None
    cls = errors.get(error.get("type")) if isinstance(error, dict) else None
    if cls is None:
        return None
    instance = cls.__new__(cls)
    instance.args = _frozen(error.get("args", []))
    for name, value in error.get("attributes", {}).items():
        setattr(instance, name, _frozen(value))
    return instance


def _frozen(value):
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


@functools.cache
def _hints(function: Callable) -> dict[str, object]:
    """The function's resolved type hints, evaluated once per function, not per call."""
    return typing.get_type_hints(function)
