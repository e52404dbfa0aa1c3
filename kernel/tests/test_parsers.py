"""The API's JSON parser: depth, NUL characters and invalid Unicode, by field."""

import io

import pytest
from django.test import override_settings
from rest_framework.exceptions import ParseError, ValidationError

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
