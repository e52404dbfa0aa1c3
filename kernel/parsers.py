"""The API's JSON parser: DRF's, plus the hostile-input checks of the edge.

Configured once in ``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``, so every
JSON endpoint gets them and no serializer has to:

* nesting deeper than ``EDGE_MAX_JSON_DEPTH`` is a 400 (a few thousand
  levels would otherwise exhaust the interpreter's stack: RecursionError);
* a NUL character in a string or a key is a 400 naming the field (the
  database cannot store it), as is a string that is not valid Unicode (a
  lone surrogate escaped as ``"\\ud800"``, which cannot be encoded to UTF-8);
* ``NaN`` and ``Infinity`` are refused, as by DRF's strict parser.

Errors name the field the way DRF's serializers do: ``{"address": {"line1":
["..."]}}``, list items by index (the API's problem document shows it as
``"errors": {"address.line1": ["..."]}``, kernel.rest).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from kernel.edge import NUL, NUL_MESSAGE

NOT_UNICODE_MESSAGE = "Not valid Unicode text."


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as too_deep:
            raise ParseError(_too_deep_message()) from too_deep
        check(data)
        return data


def check(data) -> None:
    """Raise ParseError (too deep) or ValidationError (a bad string, by field) for decoded JSON.

    Iterative, so checking a deep document cannot itself exhaust the stack.
    """
    limit = settings.EDGE_MAX_JSON_DEPTH
    pending: list[tuple[object, tuple]] = [(data, ())]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str):
            _check_string(value, path)
            continue
        if not isinstance(value, dict | list):
            continue
        if len(path) >= limit:
            raise ParseError(_too_deep_message())
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str):
                _check_string(key, path, is_key=True)
            pending.append((item, (*path, key)))


def _check_string(text: str, path: tuple, *, is_key: bool = False) -> None:
    if NUL in text:
        message = NUL_MESSAGE
    else:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            message = NOT_UNICODE_MESSAGE
        else:
            return
    if is_key:  # the key cannot name itself: the error goes to the object holding it
        message = f"A field name is refused: {message}"
    raise ValidationError(_nested(path, [message]))


def _nested(path: tuple, errors: list):
    """``("address", "line1")`` -> ``{"address": {"line1": errors}}``; the whole body: non-field."""
    if not path:
        return {"non_field_errors": errors}
    for key in reversed(path):
        errors = {key: errors}
    return errors


def _too_deep_message() -> str:
    return f"JSON nested deeper than {settings.EDGE_MAX_JSON_DEPTH} levels is not accepted."
