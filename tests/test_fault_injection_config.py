"""FAULT_INJECTION is read at start like any setting: parsed, validated, and refused
with DEBUG off unless FAULT_INJECTION_ALLOWED=1 (tests/test_configuration.py runs
that through manage.py)."""

import pytest

from commerce import config
from commerce.config import ConfigurationError


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("", {}),
        ("recommendations=raise", {"recommendations": ("raise", 0.0)}),
        (
            " recommendations=raise , reviews=sleep:5 ",
            {"recommendations": ("raise", 0.0), "reviews": ("sleep", 5.0)},
        ),
        ("reviews=sleep:0.25", {"reviews": ("sleep", 0.25)}),
    ],
)
def test_the_variable_is_parsed(monkeypatch, raw, parsed):
    monkeypatch.setenv("FAULT_INJECTION", raw)
    assert config.faults("FAULT_INJECTION", allowed=True) == parsed


@pytest.mark.parametrize(
    "raw",
    [
        "recommendations",
        "recommendations=explode",
        "recommendations=sleep",
        "recommendations=sleep:soon",
        "recommendations=sleep:-1",
        "recommendations=sleep:9999",
        "recommendations=raise:3",
        "=raise",
        "a b=raise",
        "reviews=raise,reviews=sleep:1",
    ],
)
def test_a_value_that_cannot_be_understood_is_refused_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("FAULT_INJECTION", raw)
    with pytest.raises(ConfigurationError, match=r"^FAULT_INJECTION: "):
        config.faults("FAULT_INJECTION", allowed=True)


def test_a_fault_is_refused_unless_allowed(monkeypatch):
    monkeypatch.setenv("FAULT_INJECTION", "recommendations=raise")
    with pytest.raises(ConfigurationError, match=r"FAULT_INJECTION_ALLOWED=1"):
        config.faults("FAULT_INJECTION", allowed=False)
