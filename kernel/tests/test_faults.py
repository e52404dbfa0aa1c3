"""kernel.faults.inject: FAULT_INJECTION applied per call at an optional context's
api, read at call time, so a test or a game day can switch it (parsing the
variable is the project's: tests/test_fault_injection_config.py)."""

import time

import pytest

from kernel.faults import InjectedFault, inject


@inject("probe-context")
def answer(*, value: int) -> int:
    return value * 2


def test_without_a_fault_the_call_goes_through(settings):
    settings.FAULT_INJECTION = {}
    assert answer(value=21) == 42


def test_raise_makes_every_call_fail(settings):
    settings.FAULT_INJECTION = {"probe-context": ("raise", 0.0)}
    with pytest.raises(InjectedFault):
        answer(value=1)
    settings.FAULT_INJECTION = {"other": ("raise", 0.0)}
    assert answer(value=1) == 2


def test_sleep_answers_late(settings):
    settings.FAULT_INJECTION = {"probe-context": ("sleep", 0.2)}
    started = time.monotonic()
    assert answer(value=1) == 2
    assert time.monotonic() - started >= 0.2
