"""The schema's patterns mean to an app's validator (ECMA-262) what they mean to ours (Python)."""

import re
import sys

import yaml

from kernel.fields import WHITE_SPACE, visible_or_blank
from kernel.schema import NOT_BLANK
from tests.test_hygiene import ROOT

#: ``\s`` and ``\S``: each reads white space its own way (U+001C to U+001F and U+0085 are
#: Python's only, U+FEFF ECMA-262's only), so a value valid to one may be refused by the
#: other. (``\d`` and ``\w`` are ASCII to ECMA-262 and Unicode to Python: what the schema
#: allows, Python allows too.)
_READ_DIFFERENTLY = re.compile(r"\\[sS]")


def test_white_space_is_what_python_strips():
    spelled_out = re.compile(f"[{WHITE_SPACE}]")
    assert [
        code
        for code in range(sys.maxunicode + 1)
        if bool(spelled_out.fullmatch(chr(code))) != chr(code).isspace()
    ] == []


def test_not_blank_is_what_a_text_field_reads_as_shown():
    """The schema's non-blank pattern refuses what a required text field refuses: white space
    and invisible characters alone (beyond the BMP, which it cannot name, the server only)."""
    not_blank = re.compile(NOT_BLANK)
    assert [
        hex(code)
        for code in range(1, 0x10000)
        if not 0xD800 <= code <= 0xDFFF
        and bool(not_blank.fullmatch(chr(code))) != bool(visible_or_blank(chr(code)))
    ] == []


def _patterns(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


def test_no_pattern_of_the_schema_uses_an_escape_read_differently():
    schema = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())
    patterns = set(_patterns(schema))

    assert patterns  # the walk found them
    assert {pattern for pattern in patterns if _READ_DIFFERENTLY.search(pattern)} == set()
