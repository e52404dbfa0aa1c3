"""Calling an optional context without letting it take the page down.

    reviews = call_optional("reviews", lambda: reviews_api.summary_for(sku=sku), fallback=None)

The context is named, and the call is written out at the call site, so a
reader sees which function of which context is called with what. If the
call raises, the caller gets the fallback, the failure is logged and
counted under the context's name (``failure_count``), and the page renders
the section as unavailable.

Two modes, one rule for failures:

- By default the call runs on a worker thread and is given a time budget;
  if it has not answered within the budget, the caller gets the fallback
  at once. For contexts that may be slow (reviews, recommendations).
- ``inline=True`` runs it on the caller's own thread, inside a savepoint of
  the request's transaction, with no time budget. For contexts that answer
  with one indexed batch query (pricing and inventory on browse pages): a
  worker thread would hold a second database connection per request, and
  could not see the request's own transaction (a request inside
  ``transaction.atomic``, every test). The savepoint is rolled back when
  the call fails, so a database error in it leaves the request's
  transaction usable. A hung database hangs the page's own queries too, so
  a budget would buy nothing.

Calls and fallbacks (by reason: error, budget_exceeded, bulkhead_full) are
in the metrics, ``commerce_optional_calls_total`` and
``commerce_optional_fallbacks_total``.

Each optional context has its own bulkhead: at most
``ISOLATION_MAX_WORKERS`` calls to it run at a time, on threads of its own.
A slow call keeps its thread until it ends (Python cannot kill a thread),
so a context that hangs fills its own bulkhead and no more: further calls
to it fall back at once instead of queueing behind the hung ones, and
calls to every other context go on as before. Worker threads close stale
database connections around each call, like a request does.

Checkout never goes through here: it calls only contexts it cannot do
without, and fails loudly if they fail.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, nullcontext
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections, transaction

from kernel import metrics
from kernel.databases import database_of

logger = logging.getLogger(__name__)

T = TypeVar("T")
F = TypeVar("F")


class _Bulkhead:
    """Up to ``size`` concurrent calls of one context, each started at once or not at all."""

    def __init__(self, name: str, size: int) -> None:
        self.size = size
        self._free = threading.BoundedSemaphore(size)
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix=f"optional-{name}")

    def start(self, call: Callable[[], T]) -> Future[T] | None:
        """Run ``call()`` on a free thread, or return None if none is free."""
        if not self._free.acquire(blocking=False):
            return None
        try:
            # The call runs in a copy of the caller's context: its log lines
            # carry the caller's request id.
            context = contextvars.copy_context()
            future = self._pool.submit(context.run, _with_fresh_connections, call)
        except BaseException:
            self._free.release()
            raise
        future.add_done_callback(lambda _: self._free.release())
        return future


_bulkheads: dict[str, _Bulkhead] = {}
_bulkheads_lock = threading.Lock()


def _bulkhead(name: str) -> _Bulkhead:
    """The bulkhead of context ``name``, created on its first call."""
    with _bulkheads_lock:
        if name not in _bulkheads:
            _bulkheads[name] = _Bulkhead(name, settings.ISOLATION_MAX_WORKERS)
        return _bulkheads[name]


def _with_fresh_connections(call: Callable[[], T]) -> T:
    close_old_connections()
    try:
        return call()
    finally:
        close_old_connections()


def call_optional(
    name: str,
    call: Callable[[], T],
    *,
    fallback: F,
    budget: float | None = None,
    inline: bool = False,
) -> T | F:
    """Return ``call()``, or ``fallback`` if it fails (or, on a worker thread, overruns).

    ``name`` is the optional context's: its bulkhead, log line and failure
    counter. ``budget`` (seconds, worker threads only) defaults to
    ``ISOLATION_DEFAULT_BUDGET_SECONDS``; ``inline=True`` runs the call on
    this thread inside a savepoint instead (see the module docstring).
    """
    if inline and budget is not None:
        raise TypeError("an inline call has no time budget")
    metrics.optional_calls.labels(name).inc()
    if inline:
        return _call_inline(name, call, fallback)
    budget = settings.ISOLATION_DEFAULT_BUDGET_SECONDS if budget is None else budget
    compartment = _bulkhead(name)
    future = compartment.start(call)
    if future is None:
        _record_failure(name, "bulkhead_full", f"all {compartment.size} calls are still running")
        return fallback
    try:
        return future.result(timeout=budget)
    except FutureTimeout:
        _record_failure(name, "budget_exceeded", f"no answer within {budget:.2f}s")
    except Exception as exc:  # noqa: BLE001 - any failure of an optional context
        _record_failure(name, "error", _reason(exc))
    return fallback


def _call_inline(name: str, call: Callable[[], T], fallback: F) -> T | F:
    """``call()`` on this thread; inside a transaction, in a savepoint rolled back on failure.

    Outside a transaction (autocommit) there is nothing to protect, and no
    savepoint is opened.
    """
    database = database_of(name)  # the optional context's own: its queries run there
    try:
        with (
            transaction.atomic(using=database)
            if connections[database].in_atomic_block
            else nullcontext()
        ):
            return call()
    except Exception as exc:  # noqa: BLE001 - any failure of an optional context
        _record_failure(name, "error", _reason(exc))
        return fallback


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def failure_count(name: str) -> int:
    """How many calls to ``name`` fell back, as counted in the shared cache."""
    return cache.get(_counter_key(name), 0)


def _counter_key(name: str) -> str:
    return f"isolation:failures:{name}"


#: The names of the optional contexts that fell back inside `noting_fallbacks`, or None.
_fallbacks: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "optional_fallbacks", default=None
)


@contextmanager
def noting_fallbacks() -> Iterator[list[str]]:
    """Inside, every optional context that falls back is appended to the yielded list.

    What is composed while one fell back is degraded (a section left out):
    the gateway's page cache (storefront/page_cache.py) must not keep it.
    """
    noted: list[str] = []
    reset = _fallbacks.set(noted)
    try:
        yield noted
    finally:
        _fallbacks.reset(reset)


def _record_failure(name: str, kind: str, reason: str) -> None:
    logger.warning("optional context %s unavailable: %s", name, reason)
    if (noted := _fallbacks.get()) is not None:
        noted.append(name)
    metrics.optional_fallbacks.labels(name, kind).inc()
    key = _counter_key(name)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=None)
