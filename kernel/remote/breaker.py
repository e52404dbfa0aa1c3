"""A circuit breaker: stop calling a service that keeps failing, and try it again later.

Without one, every request of a shop whose pricing service is down would
wait for its own timeouts (and retries) before falling back: the outage of
one service becomes slowness everywhere, and the dead service is hammered
while it tries to come back.

- **closed**: calls go through; ``threshold`` failures in a row open it;
- **open**: calls fail at once (``CircuitOpen``) for ``cooldown`` seconds;
- **half-open**: then one call, the probe, goes through while the others
  still fail fast; its success closes the breaker, its failure opens it
  for another ``cooldown``.

A failure is the service not answering (refused, timed out, a 5xx); a
refusal by the context's rules is an answer. The state is per process
(each gunicorn worker learns on its own), guarded by a lock for threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


class CircuitOpen(Exception):
    """The breaker is open: the call was not made."""


class CircuitBreaker:
    def __init__(
        self,
        *,
        threshold: int,
        cooldown: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if threshold < 1 or cooldown < 0:
            raise ValueError("a breaker needs threshold >= 1 and cooldown >= 0")
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        if self._probing or self._clock() - self._opened_at >= self.cooldown:
            return HALF_OPEN
        return OPEN

    def before_call(self) -> None:
        """Let a call through, or raise CircuitOpen; in half-open, only one probe at a time."""
        with self._lock:
            state = self._state()
            if state == CLOSED:
                return
            if state == HALF_OPEN and not self._probing:
                self._probing = True
                return
            raise CircuitOpen(f"open since {self._clock() - self._opened_at:.1f}s")

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def failed(self) -> None:
        with self._lock:
            self._failures += 1  # a failed probe is always past the threshold: it opens again
            if self._failures >= self.threshold:
                self._opened_at = self._clock()
                self._probing = False
