"""The API's JSON parser: depth, NUL characters and invalid Unicode, by field."""

import io

import pytest
from django.test import override_settings
from rest_framework.exceptions import ParseError, UnsupportedMediaType, ValidationError

from kernel.parsers import JSONParser


def parse(text: str):
    return JSONParser().parse(io.BytesIO(text.encode()))


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_plain_json_is_parsed():
    assert parse('{"lines": [{"sku": "TEA-1", "quantity": 2}]}') == {
        "lines": [{"sku": "TEA-1", "quantity": 2}]
    }


@pytest.mark.parametrize("depth", [33, 5000])
def test_json_deeper_than_the_limit_is_a_parse_error(depth):
    with pytest.raises(ParseError, match="nested deeper than 32 levels"):
        parse(nested(depth))


@override_settings(EDGE_MAX_JSON_DEPTH=3)
def test_json_at_the_depth_limit_is_accepted():
    assert parse('{"a": [{"b": 1}]}') == {"a": [{"b": 1}]}
    with pytest.raises(ParseError):
        parse('{"a": [{"b": [1]}]}')


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ('{"address": {"line1": "Main\\u0000St"}}', {"address": {"line1": ["Null"]}}),
        ('{"lines": [{"sku": "ok"}, {"sku": "\\u0000"}]}', {"lines": {1: {"sku": ["Null"]}}}),
        ('{"note": "\\ud800"}', {"note": ["Not valid"]}),
        ('"\\u0000"', {"non_field_errors": ["Null"]}),
        ('{"a": {"b\\u0000": 1}}', {"a": ["A field name is refused"]}),
    ],
)
def test_a_bad_string_is_a_validation_error_naming_its_field(body, errors):
    with pytest.raises(ValidationError) as raised:
        parse(body)
    assert _first_words(raised.value.detail) == _first_words(errors)


def _first_words(detail):
    """The error's nesting, with each message cut to its first word."""
    if isinstance(detail, dict):
        return {key: _first_words(value) for key, value in detail.items()}
    return [str(message).split(" ")[0] for message in detail]


def test_nan_and_infinity_are_refused():
    with pytest.raises(ParseError):
        parse('{"amount": NaN}')
    with pytest.raises(ParseError):
        parse('{"amount": Infinity}')


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ('{"quantity": 1, "quantity": 5}', {"quantity": ["This"]}),
        ('{"address": {"city": "A", "city": "B"}}', {"address": {"city": ["This"]}}),
        ('{"lines": [{"sku": "a"}, {"sku": "b", "sku": "c"}]}', {"lines": {1: {"sku": ["This"]}}}),
        ('{"a": 1, "b": 2, "a": 3, "b": 4}', {"a": ["This"], "b": ["This"]}),
    ],
)
def test_a_key_given_twice_is_a_validation_error_naming_it_wherever_it_is(body, errors):
    """Python's decoder keeps the last of them, silently; another reader may keep the first."""
    with pytest.raises(ValidationError) as raised:
        parse(body)
    assert _first_words(raised.value.detail) == _first_words(errors)


def test_equal_keys_in_different_objects_are_no_repetition():
    assert parse('{"a": {"x": 1}, "b": {"x": 2}}') == {"a": {"x": 1}, "b": {"x": 2}}


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8", '"utf-8"', "UTF_8"])
def test_a_body_labelled_utf_8_is_read(charset):
    body = io.BytesIO('{"last_name": "Müller"}'.encode())
    parsed = JSONParser().parse(body, f"application/json; charset={charset}", {})
    assert parsed == {"last_name": "Müller"}


@pytest.mark.parametrize("charset", ["latin-1", "ISO-8859-1", "cp1252", "utf-16", "bogus"])
def test_a_charset_other_than_utf_8_is_unsupported_and_named(charset):
    """RFC 8259: JSON between systems is UTF-8; DRF decoded it with the named charset, so
    "Müller" sent as UTF-8 under ``charset=latin-1`` was stored as "MÃ¼ller"."""
    body = io.BytesIO('{"last_name": "Müller"}'.encode())
    with pytest.raises(UnsupportedMediaType, match=charset.lower()):
        JSONParser().parse(body, f"application/json; charset={charset}", {"encoding": charset})


def test_bytes_that_are_not_utf_8_are_a_parse_error():
    with pytest.raises(ParseError):
        JSONParser().parse(io.BytesIO('{"a": "Müller"}'.encode("latin-1")), "application/json")


def test_a_byte_order_mark_is_skipped():
    assert JSONParser().parse(io.BytesIO(b'\xef\xbb\xbf{"a": 1}'), "application/json") == {"a": 1}


@pytest.mark.parametrize("media_type", ["*/*", "application/*", "*/json", "*/*; charset=utf-8"])
def test_a_wildcard_content_type_is_unsupported(media_type):
    with pytest.raises(UnsupportedMediaType):
        JSONParser().parse(io.BytesIO(b"{}"), media_type)
