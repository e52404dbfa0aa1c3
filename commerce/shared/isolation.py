"""Calling an optional context without letting it take the page down.

    reviews = call_optional("reviews", reviews_api.summary_for, sku=sku, fallback=None)

The call runs on a small, bounded thread pool and is given a time budget.
If it raises, or has not answered within the budget, the caller gets the
fallback at once, the failure is logged and counted, and the page renders
the section as unavailable. A slow call keeps its worker until it ends
(Python cannot kill a thread), but the pool is bounded, so a context that
hangs can hold only its share of workers: later calls wait in the queue,
run out of budget and fall back too (a bulkhead). Worker threads close
stale database connections around each call, like a request does.

Checkout never goes through here: it calls only contexts it cannot do
without, and fails loudly if they fail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections

logger = logging.getLogger(__name__)

T = TypeVar("T")
F = TypeVar("F")

_pool = ThreadPoolExecutor(
    max_workers=settings.ISOLATION_MAX_WORKERS, thread_name_prefix="optional-context"
)


def _with_fresh_connections(fn: Callable[..., T], kwargs: dict) -> T:
    close_old_connections()
    try:
        return fn(**kwargs)
    finally:
        close_old_connections()


def call_optional(
    name: str,
    fn: Callable[..., T],
    *,
    fallback: F,
    budget: float | None = None,
    **kwargs,
) -> T | F:
    """Return ``fn(**kwargs)``, or ``fallback`` if it fails or overruns ``budget`` s."""
    budget = settings.ISOLATION_DEFAULT_BUDGET_SECONDS if budget is None else budget
    future = _pool.submit(_with_fresh_connections, fn, kwargs)
    try:
        return future.result(timeout=budget)
    except FutureTimeout:
        future.cancel()
        _record_failure(name, f"no answer within {budget:.2f}s")
    except Exception as exc:  # noqa: BLE001 - any failure of an optional context
        _record_failure(name, f"{type(exc).__name__}: {exc}")
    return fallback


def failure_count(name: str) -> int:
    """How many calls to ``name`` fell back, as counted in the shared cache."""
    return cache.get(_counter_key(name), 0)


def _counter_key(name: str) -> str:
    return f"isolation:failures:{name}"


def _record_failure(name: str, reason: str) -> None:
    logger.warning("optional context %s unavailable: %s", name, reason)
    key = _counter_key(name)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=None)
