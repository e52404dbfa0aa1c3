"""The shop's Redis cache backend: a cache that does not answer is an empty cache.

    CACHES = {"default": {"BACKEND": "kernel.cache_backend.RedisCache", "LOCATION": ...}}

(``commerce.config.cache`` sets it, with short socket timeouts, for every
``redis://`` ``CACHE_URL``.) Nothing the shop keeps in its cache is a
source of truth: entries are copies of the databases (kernel.caching),
rate-limit counters and failure counters. So when Redis is down, hung or
refuses a command, Django's own ``RedisCache`` would raise on every page;
this one answers as an empty cache would, and every caller, Django's and
DRF's included (throttles, ``cache_page``), degrades without knowing:

- a read is a miss (``get`` gives the default, ``get_many`` nothing,
  ``has_key`` False), so the page is loaded from the database;
- a write is not kept (``add``, ``touch``, ``delete`` say False,
  ``set_many`` names every key as not stored, which is how
  kernel.caching learns that a forget failed);
- ``incr`` answers ``delta``, as if the counter had just started: rate
  limits fail open during an outage (ADR 0018).

A write that did not reach the server may leave its key's old value
there, to be served once the server answers again (it kept its data, or
a partition healed): a logged-out session (sessions are read through the
cache, ``cached_db``), an old price. So the key of every failed ``set``,
``set_many``, ``delete`` or ``delete_many`` is owed a delete, process-wide,
and owed deletes are made before anything else once the server answers.
(Owed per server and process: another process's old values expire with
their timeout, ADR 0018.)

``clear`` still raises: only an operator or a test calls it, and either
should hear that it did nothing. Errors that are not the server's
(a value that cannot be pickled, ``incr`` of a missing key) still raise.

The server's failures are counted in ``commerce_cache_errors_total``
(``operation`` read or write; ``reason`` error, or skipped while the
breaker is open) and logged at most once every ``REPORT_EVERY_SECONDS``
per process, with how many operations failed since the last line, and
once when it answers again.

A circuit breaker (kernel.remote.breaker) keeps a dead cache cheap:
after ``FAILURES_TO_OPEN`` failures in a row no operation asks the server
for ``RETRY_AFTER_SECONDS``, then one operation tries it. Without it, a
host that drops packets would cost every operation the socket timeout.
Django makes one backend per thread, so each thread has its own breaker
(and connection pool), as each gunicorn worker does.

The readiness probe must see the outage, not a miss: it calls `ping`,
which raises, as ``clear`` does.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis.exceptions import NoScriptError, RedisError

from kernel import metrics
from kernel.remote.breaker import CircuitBreaker, CircuitOpen

logger = logging.getLogger(__name__)

T = TypeVar("T")


class _Thread(threading.local):
    failures = 0


_thread = _Thread()


def failures_on_this_thread() -> int:
    """How many cache operations of this thread the server did not answer, so far.

    Compared before and after a read, it tells a miss from an outage
    (kernel.caching counts the second as ``result="error"``).
    """
    return _thread.failures


class _Reports:
    """One log line per ``REPORT_EVERY_SECONDS`` per process, however many threads fail."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failed = 0
        self._last: float | None = None
        self._down = False

    def failed(self, operation: str, exc: Exception | None, every: float) -> None:
        with self._lock:
            self._failed += 1
            self._down = True
            now = time.monotonic()
            if self._last is not None and now - self._last < every:
                return
            failed, self._failed, self._last = self._failed, 0, now
        logger.warning(
            "cache unavailable, served as empty: %s %s (%d operations failed since the last "
            "report)",
            operation,
            f"{type(exc).__name__}: {exc}" if exc else "skipped, the breaker is open",
            failed,
        )

    def answered(self) -> None:
        if not self._down:  # the common case: no lock
            return
        with self._lock:
            if not self._down:
                return
            self._down, failed, self._failed, self._last = False, self._failed, 0, None
        logger.warning("cache answers again (%d more operations had failed)", failed)


_reports = _Reports()


class _OwedDeletes:
    """Keys (as stored) whose write failed: the server may still hold an old value."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: set[str] = set()

    def owe(self, keys) -> None:
        with self._lock:
            self._keys.update(keys)

    def take(self) -> set[str]:
        with self._lock:
            keys, self._keys = self._keys, set()
        return keys


#: Per server (a backend's LOCATION): one process's backends, one per thread, share it.
_owed_by_server: dict[str, _OwedDeletes] = {}
_owed_lock = threading.Lock()


def _owed_to(server: str) -> _OwedDeletes:
    with _owed_lock:
        return _owed_by_server.setdefault(server, _OwedDeletes())


def forgive_owed_deletes() -> None:
    """Drop every owed delete (tests: one test's dead server is not the next one's)."""
    with _owed_lock:
        for owed in _owed_by_server.values():
            owed.take()


class _ClientPerPool(django_redis.RedisCacheClient):
    """Django's Redis client, making one ``redis.Redis`` per connection pool, not per command.

    Django's makes a new one for every command, which fills its table of
    about 170 response callbacks each time: about 0.2 ms a command, a fifth
    of a page served from the gateway's page cache. A ``redis.Redis`` is
    meant to be shared; its connections stay the pool's.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}
        self._scripts: dict[tuple[int, str], object] = {}
        self._shas: dict[tuple[int, str], str] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def run_script(self, source: str, key: str, *args, write: bool):
        """Run the Lua ``source`` on ``key``: by its hash (``EVALSHA``), sent whole only the
        first time a server has not seen it."""
        client = self.get_client(write=write)
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script(keys=[key], args=args)

    def run_script_then(
        self, source: str, key: str, *args, read: Callable, write: bool = False
    ) -> tuple:
        """Run the Lua ``source`` on ``key``, then ``read(pipeline)``, in one transaction
        (``MULTI``/``EXEC``, one round trip, nothing between the two): both answers.

        What the script looks at stays in the server; what ``read`` queues comes back
        without passing through Lua, which copies every string it handles. ``write``:
        ``read`` queues writes too (sent to the writing server).
        """
        client = self.get_client(write=write)
        for _attempt in range(2):
            sha = self._shas.get((id(client), source))
            if sha is None:
                sha = self._shas[(id(client), source)] = client.script_load(source)
            pipeline = client.pipeline(transaction=True)
            pipeline.evalsha(sha, 1, key, *args)
            read(pipeline)
            try:
                return tuple(pipeline.execute())
            except NoScriptError:  # the server restarted, without its scripts
                del self._shas[(id(client), source)]
        raise NoScriptError(source)


#: Checks a guarded entry (`RedisCache.get_guarded`): a hash whose field "" is the value and
#: every other field a guard key with the value it held. ARGV holds the caller's own guards,
#: key/value pairs: -1 when one of them no longer holds, 0 when one of the entry's does not
#: (or there is none), 1 when all hold. The value is read after it, in the same transaction:
#: handed to Lua, a page's 20 KB cost the server more than all the checks (35 of 60 us).
#: Guards are read with MGET, a thousand at a time.
_CHECK_GUARDED = """
local function hold(keys, values)
  for first = 1, #keys, 1000 do
    local now = redis.call('MGET', unpack(keys, first, math.min(first + 999, #keys)))
    for j = 1, #now do
      if now[j] ~= values[first + j - 1] then
        return false
      end
    end
  end
  return true
end
local keys, values = {}, {}
for i = 1, #ARGV, 2 do
  keys[#keys + 1] = ARGV[i]
  values[#values + 1] = ARGV[i + 1]
end
if not hold(keys, values) then
  return -1
end
keys = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if field ~= '' then
    keys[#keys + 1] = field
  end
end
for first = 1, #keys, 1000 do
  local some = {unpack(keys, first, math.min(first + 999, #keys))}
  if not hold(some, redis.call('HMGET', KEYS[1], unpack(some))) then
    return 0
  end
end
return 1
"""
#: Writes one (`RedisCache.set_guarded`): ARGV is the timeout, the value, then key/value pairs.
_SET_GUARDED = """
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '', ARGV[2])
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
"""
#: Reads a value and what a listing names (`RedisCache.get_listed`): KEYS[1] the value's key,
#: ARGV[1] the listing's, a JSON object whose "keys" are the full keys to read with it.
#: Answers the value, the listing, then each listed key's value (nil when missing); a
#: listing that is not such JSON lists nothing (never a script error: that counts as an outage).
_GET_LISTED = """
local answer = {redis.call('GET', KEYS[1]), redis.call('GET', ARGV[1])}
if answer[2] then
  local read, listing = pcall(cjson.decode, answer[2])
  local listed = read and type(listing) == 'table' and listing['keys']
  if type(listed) == 'table' and #listed > 0 then
    local values = redis.call('MGET', unpack(listed))
    for i = 1, #listed do
      answer[i + 2] = values[i]
    end
  end
end
return answer
"""
#: Counts one more in a window (`RedisCache.count_in_window`): the key expires with the window.
_COUNT_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""


class RedisCache(django_redis.RedisCache):
    """Django's ``RedisCache`` whose server failures are misses and lost writes."""

    FAILURES_TO_OPEN = 3
    RETRY_AFTER_SECONDS = 5.0
    REPORT_EVERY_SECONDS = 60.0

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ClientPerPool
        self._owed = _owed_to(str(server))
        self._breaker = CircuitBreaker(
            threshold=self.FAILURES_TO_OPEN, cooldown=self.RETRY_AFTER_SECONDS
        )

    def _degrading(self, operation: str, fallback: T, call: Callable[..., T], *args) -> T:
        """``call(*args)``, or ``fallback`` when the server fails or the breaker is open."""
        try:
            self._breaker.before_call()
        except CircuitOpen:
            self._failed(operation, "skipped", None)
            return fallback
        try:
            self._pay_owed_deletes()
            result = call(*args)
        except RedisError as exc:
            self._breaker.failed()
            self._failed(operation, "error", exc)
            return fallback
        except Exception:
            self._breaker.succeeded()  # the server answered; the caller's error is its own
            raise
        self._breaker.succeeded()
        _reports.answered()
        return result

    def _pay_owed_deletes(self) -> None:
        """Delete what failed writes left behind, first; owed again if the server fails."""
        if keys := self._owed.take():
            try:
                self._cache.delete_many(list(keys))
            except RedisError:
                self._owed.owe(keys)
                raise

    def _writing(self, keys, fallback: T, call: Callable[..., T], *args) -> T:
        """A write of ``keys``: when it does not reach the server, their deletes are owed."""
        failures = _thread.failures
        result = self._degrading("write", fallback, call, *args)
        if _thread.failures != failures:
            self._owed.owe(self.make_and_validate_key(key, version=args[-1]) for key in keys)
        return result

    def _failed(self, operation: str, reason: str, exc: Exception | None) -> None:
        _thread.failures += 1
        metrics.cache_errors.labels(operation, reason).inc()
        _reports.failed(operation, exc, self.REPORT_EVERY_SECONDS)

    def ping(self) -> None:
        """Ask the server, raising if it does not answer (the readiness probe)."""
        self._cache.get_client(write=False).ping()

    # --- reads: a miss ---------------------------------------------------------
    def get(self, key, default=None, version=None):
        return self._degrading("read", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._degrading("read", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._degrading("read", False, super().has_key, key, version)

    # --- guarded entries: one round trip -----------------------------------------
    def set_guarded(self, key, value, guards: dict[str, object], timeout: int) -> None:
        """Keep ``value`` under ``key`` for ``timeout`` seconds, to be read by `get_guarded` only
        while every key of ``guards`` still holds its value there (as ``set`` stores it).

        The value and its guards are one hash, so they expire and are evicted together; a
        copy whose guards are gone is gone too. A write the server does not take is owed a
        delete, like ``set``'s.
        """
        client = self._cache
        full_key = self.make_and_validate_key(key)
        self._writing(
            [key],
            None,
            lambda *_version: client.run_script(
                _SET_GUARDED,
                full_key,
                int(timeout),
                client._serializer.dumps(value),
                *self._guard_pairs(guards),
                write=True,
            ),
            None,
        )

    def get_guarded(
        self, key, guards: dict[str, object], *, tally=None
    ) -> tuple[bool, object | None]:
        """Whether the caller's ``guards`` still hold (each key its value), and, if they do,
        what `set_guarded` kept under ``key`` while its own guards hold too (else None).

        One round trip: a transaction of the checks, made in the server by a Lua
        script (which reads the guard keys it is given: a single Redis, not a
        cluster), and the value's read; with a ``tally`` (`kernel.caching.Tally`), its
        count too (``tally.count`` is set). When the server does not answer, nothing
        is known to hold: (False, None), and nothing is counted.
        """
        client = self._cache
        full_key = self.make_and_validate_key(key)
        tally_key = None if tally is None else self.make_and_validate_key(tally.key)

        def queue(pipeline) -> None:
            pipeline.hget(full_key, "")
            if tally_key is not None:
                # The key's life starts again at each count: it names one window, so a
                # longer life keeps it a little longer, never counts across windows.
                pipeline.incr(tally_key)
                pipeline.expire(tally_key, int(tally.seconds))

        def read():
            verdict, found, *counted = client.run_script_then(
                _CHECK_GUARDED,
                full_key,
                *self._guard_pairs(guards),
                read=queue,
                write=tally_key is not None,
            )
            if counted:
                tally.count = counted[0]
            if verdict == -1:
                return False, None
            if verdict == 0 or found is None:
                return True, None
            return True, client._serializer.loads(found)

        return self._degrading("read", (False, None), read)

    # --- listings: what a key names, read with it ------------------------------
    def set_listing(self, key, keys: list[str], meta: object, timeout: int) -> None:
        """List ``keys`` under ``key``, with ``meta`` (anything JSON holds) for the caller,
        for `get_listed` to read with another key, for ``timeout`` seconds."""
        listing = json.dumps(
            {"keys": [self.make_and_validate_key(k) for k in keys], "names": keys, "meta": meta}
        )
        full_key = self.make_and_validate_key(key)
        client = self._cache.get_client(write=True)
        self._writing([key], None, lambda _version: client.set(full_key, listing, ex=timeout), None)

    def get_listed(self, key, listing_key) -> tuple[object | None, object, dict[str, object]]:
        """The value under ``key`` and, in the same round trip, what `set_listing` listed under
        ``listing_key``: (value, the listing's ``meta``, {listed key: its value, if present}).

        (value, None, {}) when nothing is listed; (None, None, {}) when the server does
        not answer.
        """
        client = self._cache
        loads = client._serializer.loads

        def read():
            value, listing, *values = client.run_script(
                _GET_LISTED,
                self.make_and_validate_key(key),
                self.make_and_validate_key(listing_key),
                write=False,
            )
            value = None if value is None else loads(value)
            try:
                listed = json.loads(listing)
                names, meta = listed["names"], listed["meta"]
            except (TypeError, ValueError, KeyError):  # none, or not one `set_listing` wrote
                return value, None, {}
            found = zip(names, values, strict=False)
            return value, meta, {name: loads(raw) for name, raw in found if raw is not None}

        return self._degrading("read", (None, None, {}), read)

    def count_in_window(self, key, seconds: int) -> int:
        """Count one more under ``key``, which lives ``seconds`` from its first count; the
        count so far. One round trip; 1 when the server does not answer (limits fail open,
        as ``incr``'s)."""
        client = self._cache
        full_key = self.make_and_validate_key(key)
        return self._degrading(
            "write",
            1,
            lambda: client.run_script(_COUNT_IN_WINDOW, full_key, int(seconds), write=True),
        )

    def _guard_pairs(self, guards: dict[str, object]) -> list:
        dumps = self._cache._serializer.dumps
        return [
            part
            for guard, expected in guards.items()
            for part in (self.make_and_validate_key(guard), dumps(expected))
        ]

    # --- writes: not kept ------------------------------------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrading("write", False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._writing([key], None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._writing(list(data), list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrading("write", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._writing([key], False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._writing(keys, None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._degrading("write", delta, super().incr, key, delta, version)
