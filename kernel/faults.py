"""Making an optional context fail on purpose, to prove the pages around it survive.

    @inject("recommendations")
    def for_product(*, product_id: int) -> ProductRecommendations: ...

Every public function of an optional context's ``api`` is wrapped with
``inject(<context>)``. Normally the wrapper only looks the context up in
``settings.FAULT_INJECTION`` and calls through. When the operator set, say,
``FAULT_INJECTION="recommendations=raise,reviews=sleep:5"`` (parsed and
validated at start by ``commerce.config.faults``), calls into
recommendations raise ``InjectedFault`` and calls into reviews answer five
seconds late. The callers' ``call_optional`` then does what it would do for
a real outage: falls back within its budget, logs and counts the failure.

The setting is read on every call, so a test switches faults with a
settings override. With DEBUG off the settings refuse any fault unless
``FAULT_INJECTION_ALLOWED=1`` (a staging game day, never by accident).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=Callable)

RAISE = "raise"
SLEEP = "sleep"


class InjectedFault(RuntimeError):
    """Raised instead of answering: ``FAULT_INJECTION`` says this context is down."""


def inject(context: str) -> Callable[[T], T]:
    """Wrap an ``api`` function of ``context`` so ``FAULT_INJECTION`` can break it."""

    def wrap(fn: T) -> T:
        @functools.wraps(fn)
        def faulty(*args, **kwargs):
            fault = settings.FAULT_INJECTION.get(context)
            if fault is not None:
                action, seconds = fault
                logger.warning("injected fault in %s.%s: %s", context, fn.__name__, action)
                if action == RAISE:
                    raise InjectedFault(f"{context} fails on purpose (FAULT_INJECTION)")
                time.sleep(seconds)
            return fn(*args, **kwargs)

        return faulty

    return wrap
