"""The circuit breaker: opens after failures in a row, fails fast, lets one probe through."""

from __future__ import annotations

import pytest

from kernel.remote.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def breaker(clock):
    return CircuitBreaker(threshold=3, cooldown=5, clock=clock)


def fail(breaker, times=1):
    for _ in range(times):
        breaker.before_call()
        breaker.failed()


def test_it_opens_after_threshold_failures_in_a_row_only(breaker):
    fail(breaker, 2)
    breaker.before_call()
    breaker.succeeded()  # a success in between starts the count again
    fail(breaker, 2)
    assert breaker.state == CLOSED
    fail(breaker)
    assert breaker.state == OPEN
    with pytest.raises(CircuitOpen):
        breaker.before_call()


def test_after_the_cooldown_one_probe_goes_through_and_others_fail_fast(breaker, clock):
    fail(breaker, 3)
    clock.now += 4.9
    with pytest.raises(CircuitOpen):
        breaker.before_call()
    clock.now += 0.1
    assert breaker.state == HALF_OPEN
    breaker.before_call()  # the probe
    with pytest.raises(CircuitOpen):
        breaker.before_call()  # while the probe is out
    breaker.succeeded()
    assert breaker.state == CLOSED
    breaker.before_call()


def test_a_failed_probe_opens_it_for_another_cooldown(breaker, clock):
    fail(breaker, 3)
    clock.now += 5
    fail(breaker)
    assert breaker.state == OPEN
    clock.now += 4.9
    with pytest.raises(CircuitOpen):
        breaker.before_call()
    clock.now += 0.1
    breaker.before_call()


@pytest.mark.parametrize(("threshold", "cooldown"), [(0, 1), (1, -1)])
def test_nonsense_settings_are_refused(threshold, cooldown):
    with pytest.raises(ValueError, match="threshold"):
        CircuitBreaker(threshold=threshold, cooldown=cooldown)
