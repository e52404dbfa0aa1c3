"""The OpenAPI schema tells every answer an operation can give.

A drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS``), so no
view repeats the common refusals: every operation gets the error answers
the shared layers give it, each an ``application/problem+json`` document
(``Problem``, built by ``kernel.rest``), with an example:

* 400 always: a body or parameters it refuses, and a query parameter it
  does not read (``kernel.query``), which any operation may be sent;
* 401 when it authenticates callers at all: a token that is wrong, expired
  or revoked is refused on every such operation, even one anonymous callers
  may use (the app signs in again); 403 when it needs a signed-in caller,
  and on every unsafe method (the session's CSRF check);
* 404 when its path names a resource, or it is a paged list (a page past
  the last, ``kernel.rest.existing_page``); 406 and 429 always (content
  negotiation and the throttles); 413, 415 and 422 (well formed, refused
  by a rule the schema cannot state, ``kernel.rest.Unprocessable``) when
  it reads a body; 414 always (the edge's URL limit); 409 and 422 when it
  takes an ``Idempotency-Key`` (the key in flight on another request, the
  key reused for another body: orders/idempotency.py).

A 4xx or 5xx an operation documents itself keeps its description and
gets the same problem body instead of whatever it named, but a 402: a
declined payment is answered with the payment itself (``status: failed``,
the decline's reason), as the operation documents it.

Requests are described as the server reads them (docs/decisions/0015):
a request body is closed (``additionalProperties: false``, by
``ClosedSerializerExtension``), and every free-text string a request
carries, in its body or its parameters, says it holds no NUL character
(``NO_NUL``), which the edge, the JSON parser and every text field refuse.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.urls import get_resolver
from django.urls.resolvers import LocalePrefixPattern
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import get_lib_doc_excludes
from rest_framework import serializers

from kernel.fields import INVISIBLE, WHITE_SPACE
from kernel.rest import (
    CODES_BY_STATUS,
    PROBLEM_MEDIA_TYPE,
    VALIDATION,
    ClosedSerializer,
    PageSerializer,
)

#: A string without a NUL character (JSON Schema's ``pattern`` is ECMA-262).
NO_NUL = "^[^\\u0000]*$"
#: ``NO_NUL``, and something shown: a text field that trims its input and may not be
#: blank refuses "  " and a text of invisible characters alone
#: (``kernel.fields.visible_or_blank``). Invisible characters beyond the BMP are refused
#: too, and not named here: ECMA-262 without the ``u`` flag reads them as two halves.
NOT_BLANK = rf"^[^\u0000]*[^{WHITE_SPACE}{INVISIBLE}\u0000][^\u0000]*$"

UNSAFE = {"post", "put", "patch", "delete"}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details; more members may follow.",
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "The code as a URI."},
        "title": {"type": "string", "description": "The status's phrase."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What happened, for the person."},
        "code": {"type": "string", "description": "Stable, for apps: e.g. validation."},
        "errors": {
            "type": "object",
            "description": "Validation problems only: messages by field path.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
    "additionalProperties": True,
}


def lib_doc_excludes() -> list[type]:
    """Classes whose docstrings the schema never shows (``GET_LIB_DOC_EXCLUDES``):
    drf-spectacular's own list, and the shared bases of the API's serializers.

    A component is described by its serializer's docstring, or else by the
    nearest base class's; without this, every request body would say how
    ``ClosedSerializer`` works and every list how ``PageSerializer`` reads a
    pager: words for this code's readers, not for an app's.
    """
    return [*get_lib_doc_excludes(), ClosedSerializer, PageSerializer]


class ClosedSerializerExtension(OpenApiSerializerExtension):
    """A ``kernel.rest.ClosedSerializer`` as a request: ``additionalProperties: false``."""

    target_class = "kernel.rest.ClosedSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        if direction == "request":
            schema["additionalProperties"] = False
            for name, field in self.target.fields.items():
                prop = schema.get("properties", {}).get(name)
                if prop and not field.read_only:
                    _as_read(field, prop)
        return schema


def _as_read(field, prop: dict) -> None:
    """What the field refuses beyond drf-spectacular's mapping: blank text, list sizes, decimals."""
    if _trims_and_needs_text(field) and not {"pattern", "format"} & set(prop):
        prop["pattern"] = NOT_BLANK
    if isinstance(field, serializers.ListSerializer | serializers.ListField):
        least = 1 if not getattr(field, "allow_empty", True) else 0
        least = max(least, getattr(field, "min_length", None) or 0)
        if least:
            prop.setdefault("minItems", least)
        if getattr(field, "max_length", None) is not None:
            prop.setdefault("maxItems", field.max_length)
        if isinstance(field, serializers.ListField) and isinstance(prop.get("items"), dict):
            _as_read(field.child, prop["items"])
    if isinstance(field, serializers.DecimalField) and field.max_digits is not None:
        whole, places = field.max_digits - field.decimal_places, field.decimal_places
        sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
        prop["pattern"] = (
            rf"^{sign}([0-9]{{1,{whole}}}(\.[0-9]{{0,{places}}})?|\.[0-9]{{1,{places}}})$"
        )


def _trims_and_needs_text(field) -> bool:
    return (
        isinstance(field, serializers.CharField)
        and not isinstance(field, serializers.RegexField)
        and field.trim_whitespace
        and not field.allow_blank
        and not field.read_only
    )


def refuse_nul_in_requests(result, generator, request, public):
    """drf-spectacular hook: ``NO_NUL`` on every free-text string of a request.

    Free text: a string with no ``enum``, ``format`` or ``pattern`` of its
    own, in a parameter or in a request body's schema (with
    ``COMPONENT_SPLIT_REQUEST``, the ``...Request`` components are read by
    requests only).
    """
    schemas = result.get("components", {}).get("schemas", {})
    requested: set[str] = set()
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _no_nul(parameter.get("schema", {}), schemas, requested)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _no_nul(content.get("schema", {}), schemas, requested)
    return result


def _no_nul(schema, schemas: dict, seen: set[str]) -> None:
    if isinstance(schema, list):
        for item in schema:
            _no_nul(item, schemas, seen)
        return
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _no_nul(schemas.get(name, {}), schemas, seen)
        return
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
        schema["pattern"] = NO_NUL
    for key in ("properties", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            members = schema[key].values() if key == "properties" else [schema[key]]
            for member in members:
                _no_nul(member, schemas, seen)
    for key in ("items", "allOf", "oneOf", "anyOf"):
        if key in schema:
            _no_nul(schema[key], schemas, seen)


def add_problem_responses(result, generator, request, public):
    """drf-spectacular hook: the Problem component and each operation's error answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(_statuses(path, method, operation)):
                responses.setdefault(str(status), {"description": HTTPStatus(status).phrase})
            for code, response in responses.items():
                if code[0] in "45" and not (code == _DECLINED and "content" in response):
                    response["content"] = {PROBLEM_MEDIA_TYPE: _problem_content(int(code))}
    return result


#: Payment Required: a payment declined, answered with the payment (orders/rest.py).
_DECLINED = "402"


def _statuses(path: str, method: str, operation: dict) -> set[int]:
    statuses = {400, 406, 414, 429}
    has_body = "requestBody" in operation
    if has_body:
        statuses |= {413, 415, 422}
    security = operation.get("security", [{}])
    if any(security):
        statuses.add(401)
    if {} not in security:
        statuses.add(403)
    if method in UNSAFE:
        statuses.add(403)
    parameters = operation.get("parameters", ())
    if "{" in path or any(p.get("name") == "page" for p in parameters):
        statuses.add(404)  # a resource named, or a page past the last (kernel.rest.existing_page)
    if any(p.get("name") == "Idempotency-Key" for p in parameters):
        statuses |= {409, 422}  # the key in flight on another request; reused for another body
    return statuses


def _problem_content(status: int) -> dict:
    code = VALIDATION if status == 400 else CODES_BY_STATUS.get(status, f"http_{status}")
    example = {
        "type": settings.API_PROBLEM_TYPE_BASE + code.replace("_", "-"),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": _EXAMPLE_DETAILS.get(status, HTTPStatus(status).description),
        "code": code,
    }
    if status == 400:
        example["errors"] = {"quantity": ["Ensure this value is greater than or equal to 1."]}
    return {"schema": {"$ref": "#/components/schemas/Problem"}, "example": example}


_EXAMPLE_DETAILS = {
    400: "quantity: Ensure this value is greater than or equal to 1.",
    401: "Authentication credentials were not provided.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    429: "Request was throttled. Expected available in 60 seconds.",
}


class ApiSchemaGenerator(SchemaGenerator):
    """The schema from the URLs outside ``i18n_patterns``: the API's, and the admin's.

    The shopper's pages sit under Django's language prefix resolver, which
    drf-spectacular's namespace versioning cannot simplify (it warns, and
    ``--fail-on-warn`` fails); they hold no API operation anyway.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.patterns is None:
            self.patterns = [
                pattern
                for pattern in get_resolver(self.urlconf).url_patterns
                if not isinstance(pattern.pattern, LocalePrefixPattern)
            ]
