"""The API's JSON parser: DRF's, plus the hostile-input checks of the edge.

Configured once in ``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``, so every
JSON endpoint gets them and no serializer has to:

* nesting deeper than ``EDGE_MAX_JSON_DEPTH`` is a 400 (a few thousand
  levels would otherwise exhaust the interpreter's stack: RecursionError);
* a NUL character in a string or a key is a 400 naming the field (the
  database cannot store it), as is a string that is not valid Unicode (a
  lone surrogate escaped as ``"\\ud800"``, which cannot be encoded to UTF-8);
* ``NaN`` and ``Infinity`` are refused, as by DRF's strict parser;
* a key given twice in one object is a 400 naming it: Python's decoder keeps
  the last silently, so ``{"quantity": 1, "quantity": 5}`` meant whichever a
  client's encoder happened to write last, and another JSON reader (a proxy,
  a log pipeline) may well read the first;
* JSON is UTF-8 (RFC 8259: between systems it MUST be), so a ``charset``
  other than UTF-8 on the ``Content-Type`` is a 415 naming it: DRF decoded
  the body with whatever charset was named, so an app whose HTTP library
  labelled UTF-8 bytes ``charset=ISO-8859-1`` had "Müller" stored as
  "MÃ¼ller", with a 201. A byte-order mark is skipped;
* a ``Content-Type`` with a wildcard (``*/*``, ``application/*``) is a 415:
  DRF's negotiation lets the request's wildcard match any parser, so such a
  body was read as JSON, although it names no type at all.

Errors name the field the way DRF's serializers do: ``{"address": {"line1":
["..."]}}``, list items by index (the API's problem document shows it as
``"errors": {"address.line1": ["..."]}``, kernel.rest).
"""

from __future__ import annotations

import codecs
import json

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError, UnsupportedMediaType, ValidationError
from rest_framework.utils.json import strict_constant
from rest_framework.utils.mediatypes import _MediaType

from kernel.edge import NUL, NUL_MESSAGE

NOT_UNICODE_MESSAGE = "Not valid Unicode text."
DUPLICATE_KEY_MESSAGE = "This field is given more than once."


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        if media_type is not None:
            _check_media_type(media_type, self.media_type)
        try:
            data = json.load(
                codecs.getreader("utf-8-sig")(stream),
                parse_constant=strict_constant,
                object_pairs_hook=_object,
            )
        except RecursionError as too_deep:
            raise ParseError(_too_deep_message()) from too_deep
        except ValueError as malformed:  # UnicodeDecodeError too: bytes that are not UTF-8
            raise ParseError(f"JSON parse error - {malformed}") from malformed
        check(data)
        return data


def _check_media_type(media_type: str, ours: str) -> None:
    kind = _MediaType(media_type)
    if "*" in (kind.main_type, kind.sub_type):
        raise UnsupportedMediaType(
            media_type, detail=f'Send the body as "{ours}": "{media_type}" names no type.'
        )
    charset = str(kind.params.get("charset", "utf-8")).strip("\"' ").lower()
    if charset.replace("-", "").replace("_", "") != "utf8":
        raise UnsupportedMediaType(
            media_type, detail=f'Send JSON as UTF-8 (charset "{charset[:40]}" is not read).'
        )


class _Repeated(dict):
    """An object that gave some of its keys more than once (``check`` names them by path)."""

    repeated: list[str]


def _object(pairs: list[tuple[str, object]]) -> dict:
    data = dict(pairs)
    if len(data) == len(pairs):
        return data
    seen: set[str] = set()
    repeated = _Repeated(data)
    repeated.repeated = [key for key, _ in pairs if key in seen or seen.add(key)]
    return repeated


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
        if isinstance(value, _Repeated):
            raise ValidationError(
                _nested(path, {key: [DUPLICATE_KEY_MESSAGE] for key in value.repeated})
            )
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


def _nested(path: tuple, errors: list | dict):
    """``("address", "line1")`` -> ``{"address": {"line1": errors}}``; the whole body: non-field
    (errors that name their own fields, a dict, stay as they are at the top)."""
    if not path:
        return errors if isinstance(errors, dict) else {"non_field_errors": errors}
    for key in reversed(path):
        errors = {key: errors}
    return errors


def _too_deep_message() -> str:
    return f"JSON nested deeper than {settings.EDGE_MAX_JSON_DEPTH} levels is not accepted."
