"""Read-through caching by generation: what a context uses to cache its own reads.

A context caches a read under a *generation*, a random token kept in the
cache under a name the context chooses (``"pricing:prices"``,
``"inventory:sku:TEA-1"``). Each entry is stored with the token it was
loaded under and read together with the name's current token, in one
round trip; an entry under another token is a miss. So ``forget(name)``
(a new token) makes every entry of that name stale at once: no key has to
be found and deleted, and a stale entry is replaced by the next load or
expires on its own.

The token is read *before* the value is loaded, so a change that commits
while a request loads leaves that request's entry under the old token,
already unreachable after the change's ``forget``: a cached value is never
served after the change that made it stale was forgotten. A context
forgets where it publishes the event that announces the change
(``forget_on_commit``: at once and after the writing transaction
commits), so every write path that announces a change refreshes the cache,
before any subscriber has even seen the event.

A value read with ``cached`` is also kept for the rest of the request
that read it (the category tree serves the header, the breadcrumbs and the
facets), so even with every cache off (``dummycache://``, nothing stored)
a request loads it once; outside requests every read loads. With the
local-memory cache each process has its own entries and generations, so
production runs a shared cache (Redis).

Something composed from cached reads (a whole page) is stored with
`keep` and read with `kept`, which serves it only while every generation
it was composed under (recorded by `observing`) is unchanged: checked in
the server, in the same round trip, on Redis. A read whose answer only
names what to look up (the price segment that keys a kept page) may be
answered by the process's own copy inside `holding`, its generation then
checked by the `kept` that follows (ADR 0024).

When the cache does not answer (kernel.cache_backend takes that for an
empty cache) every read loads from the database, counted as
``result="error"``, and a ``forget`` that does not reach the cache is
*owed*: an entry under the old token may still be in Redis when it comes
back, and must not be served then. The process forgets what it owes
before its next read through this module, once the cache answers
(a process that stops first leaves its entries to their TTL). Inside an
event's delivery (`forgetting_must_succeed`, set by kernel.relay) a failed
forget also raises `CacheUnavailable`: the handler's transaction rolls
back and the outbox delivers the event again later, so an invalidation
that an event asked for is never lost (ADR 0018).
"""

from __future__ import annotations

import contextvars
import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache

from kernel import databases, metrics
from kernel.cache_backend import failures_on_this_thread

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()


class _Request(threading.local):
    """Values this thread's current request has read with ``cached``: {(name, key): value}."""

    values: dict | None = None


_request = _Request()


def request_started(**_signal) -> None:
    _request.values = {}


def request_finished(**_signal) -> None:
    _request.values = None


def _token_key(name: str) -> str:
    return f"generation:{name}"


def _entry_key(name: str, key: str) -> str:
    # Hashed: any text (a slug, a search query) makes a valid key of bounded length.
    # "entry:", not the "cached:" of the keys that held the token: an older release's
    # entries (bare values) are never read as (token, value) pairs.
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    return f"entry:{name}:{digest}"


def _kind(name: str) -> str:
    """The metric label of a name: its first two parts ("catalog:product"), never a SKU."""
    return ":".join(name.split(":")[:2])


def failure_mark() -> int:
    """Taken before a lookup's reads, for `count_lookups` (``since``)."""
    return failures_on_this_thread()


def count_lookups(name: str, *, hits: int = 0, misses: int = 0, since: int | None = None) -> None:
    """Count lookups of ``name``'s entries in ``commerce_cache_lookup_total``, by its kind.

    Every read through this module is counted; a context that reads the
    cache its own way (the catalog's product detail) counts with this, so
    each context's hit ratio is on the dashboard. ``since`` is the
    `failure_mark` taken before the reads: if the cache failed to answer
    one since, the misses are counted as ``error``.
    """
    failed = since is not None and failures_on_this_thread() != since
    for result, amount in (("hit", hits), ("error" if failed else "miss", misses)):
        if amount:
            metrics.count("cache_lookup", amount, cache=_kind(name), result=result)


class CacheUnavailable(Exception):
    """A forget did not reach the cache, inside an event's delivery: deliver it again later."""


_owed: set[str] = set()
_owed_lock = threading.Lock()
_must_succeed = contextvars.ContextVar("forgetting_must_succeed", default=False)


@contextmanager
def forgetting_must_succeed() -> Iterator[None]:
    """Inside, a ``forget`` that does not reach the cache raises `CacheUnavailable`."""
    reset = _must_succeed.set(True)
    try:
        yield
    finally:
        _must_succeed.reset(reset)


def _new_tokens(names: Iterable[str]) -> set[str]:
    """New tokens for ``names`` and for every name still owed; the names the cache did
    not keep are owed (again)."""
    with _owed_lock:
        wanted = {_token_key(name): name for name in {*names, *_owed}}
        _owed.clear()
    if not wanted:
        return set()
    failed = cache.set_many({key: uuid.uuid4().hex for key in wanted}, timeout=None)
    unkept = {wanted[key] for key in failed or ()}
    with _owed_lock:
        _owed.update(unkept)
    return unkept


def _pay_owed_forgets() -> None:
    if _owed:
        _new_tokens(())


def generations(names: Iterable[str]) -> dict[str, str]:
    """The current token of each name, created on first use (one round trip when known,
    and one more first while this process owes forgets)."""
    return _generations_and_entries(names, ())[0]


def _generations_and_entries(
    names: Iterable[str], entry_keys: Iterable[str]
) -> tuple[dict[str, str], dict[str, object]]:
    """The current token of each name (created on first use) and the entries found under
    ``entry_keys``, in one round trip when the tokens are known."""
    _pay_owed_forgets()
    keys = {name: _token_key(name) for name in set(names)}
    found = cache.get_many([*keys.values(), *entry_keys])
    for key in keys.values():
        if key not in found:
            token = uuid.uuid4().hex
            # Another process may have created it meanwhile: theirs wins.
            found[key] = token if cache.add(key, token, timeout=None) else cache.get(key, token)
    tokens = {name: found.pop(key) for name, key in keys.items()}
    if (observed := _observed.get()) is not None:
        observed.update(tokens)
    return tokens, found


#: The generations read inside `observing`, {name: token}, or None outside it.
_observed: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "observed_generations", default=None
)


@contextmanager
def observing() -> Iterator[dict[str, str]]:
    """Inside, every generation any cached read looks up is recorded in the yielded dict.

    Something composed from those reads (a whole page: storefront/page_cache.py)
    is stale as soon as one of the tokens changes, so it can be cached and
    checked with `unchanged`, without knowing which contexts it read. The
    tokens are read before their values are loaded, so a change committed
    while composing leaves an old token behind. Optional contexts' worker
    threads run in a copy of the caller's context, so their reads are recorded too.
    """
    recorded: dict[str, str] = {}
    reset = _observed.set(recorded)
    try:
        yield recorded
    finally:
        _observed.reset(reset)


@contextmanager
def unobserved(*, checked: bool = False) -> Iterator[None]:
    """Inside, cached reads are not recorded by an enclosing `observing`: for what a shared
    composition shows only for the shopper at hand and is replaced for every other one (the
    header's cart count, storefront/page_cache.py), so it never makes the whole stale.

    With ``checked``, not answered by an enclosing `holding` either: read from the cache
    and checked there now, for what must never be stale even once (who is signed in).
    """
    reset = _observed.set(None)
    unheld = _holding.set(None) if checked else None
    try:
        yield
    finally:
        if unheld is not None:
            _holding.reset(unheld)
        _observed.reset(reset)


class Held(dict):
    """The generations of the reads `holding` answered from this process, {name: token};
    ``stale`` once `kept` found one of them changed."""

    stale = False


class _Holds:
    """This process's own copies of values read inside `holding`: {(name, key): (token,
    value, when)}, the most recent ``SIZE``, each for ``SECONDS`` at most.

    A copy is never served unchecked: its token is checked by the `kept` that
    follows (a stale one is dropped there), so how long one lives bounds only
    memory and how often it is loaded again, not staleness.
    """

    SIZE = 256
    SECONDS = 60.0

    def __init__(self) -> None:
        self._copies: OrderedDict[tuple[str, str], tuple[str, object, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str, key: str) -> tuple[str, object] | None:
        with self._lock:
            copy = self._copies.get((name, key))
        if copy is None or time.monotonic() - copy[2] > self.SECONDS:
            return None
        return copy[0], copy[1]

    def put(self, name: str, key: str, token: str, value: object) -> None:
        with self._lock:
            self._copies[(name, key)] = (token, value, time.monotonic())
            self._copies.move_to_end((name, key))
            while len(self._copies) > self.SIZE:
                self._copies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()

    def drop(self, held: Held) -> None:
        with self._lock:
            for copied in [c for c, (token, *_) in self._copies.items() if held.get(c[0]) == token]:
                del self._copies[copied]


_holds = _Holds()
_holding: contextvars.ContextVar[Held | None] = contextvars.ContextVar("holding", default=None)


def drop_held() -> None:
    """Drop everything this process holds for `holding` (a test starting from an empty cache,
    whose tokens are all new)."""
    _holds.clear()


@contextmanager
def holding(held: Held) -> Iterator[Held]:
    """Inside, a `cached` read is answered from this process's own copy when it has one,
    with no round trip, its generation recorded in ``held``; the caller must then pass
    ``held`` to the `kept` it reads next, which checks those generations in the same round
    trip and says whether the answer was current (``held.stale``).

    For a read whose answer only names what to look up in the cache (the
    gateway's price segment, which keys the kept page): a stale answer costs a
    second lookup, never a wrong page.
    """
    reset = _holding.set(held)
    try:
        yield held
    finally:
        _holding.reset(reset)


@dataclass
class Tally:
    """One more request to count under ``key`` (which lives ``seconds`` after its last count)
    in the round trip of the `kept` read it is handed to; ``count``: the total after it, or
    None when the cache could not count on the way (the caller then counts it itself)."""

    key: str
    seconds: int
    count: int | None = None


def keep(key: str, value: object, generations: dict[str, str], ttl: int) -> None:
    """Store ``value``, composed from reads whose ``generations`` `observing` recorded, for
    `kept` to serve while none of them has changed, for at most ``ttl`` seconds."""
    guards = {_token_key(name): token for name, token in generations.items()}
    if set_guarded := getattr(cache, "set_guarded", None):
        set_guarded(key, value, guards, ttl)
    else:
        cache.set(key, (guards, value), ttl)


def kept(key: str, held: Held | None = None, tally: Tally | None = None) -> object | None:
    """What `keep` stored under ``key`` while every generation it was composed under is
    unchanged, else None; with ``held``, only if the reads `holding` answered from this
    process were current, else None and ``held.stale`` (those copies are dropped). With
    ``tally``, one more counted under its key in the same round trip (Redis only).

    One round trip with the shop's Redis backend, which checks the tokens in
    the server (kernel.cache_backend ``get_guarded``); two with another cache.
    A token the cache lost (evicted, or the cache did not answer) counts as
    changed.
    """
    _pay_owed_forgets()
    mine = {_token_key(name): token for name, token in (held or {}).items()}
    if get_guarded := getattr(cache, "get_guarded", None):
        current, value = get_guarded(key, mine, tally=tally)
    else:
        current, value = _kept_by_two_reads(key, mine)
    if not current and held is not None:
        held.stale = True
        _holds.drop(held)
    return value


def _kept_by_two_reads(key: str, mine: dict[str, str]) -> tuple[bool, object | None]:
    stored = cache.get(key)
    is_kept = isinstance(stored, tuple) and len(stored) == 2
    guards = stored[0] if is_kept else {}
    found = cache.get_many(list({*mine, *guards})) if mine or guards else {}
    if any(found.get(guard) != token for guard, token in mine.items()):
        return False, None
    if not is_kept:
        return True, None
    return True, stored[1] if all(found.get(g) == t for g, t in guards.items()) else None


def forget(*names: str) -> None:
    """Entries cached under these names are never served again.

    If the cache does not answer, the names are owed (module docstring);
    inside `forgetting_must_succeed`, `CacheUnavailable` is raised as well.
    """
    if _request.values:
        for remembered in [k for k in _request.values if k[0] in names]:
            del _request.values[remembered]
    unkept = _new_tokens(names)
    if unkept and _must_succeed.get():
        raise CacheUnavailable(f"could not forget {', '.join(sorted(unkept))}")


def forget_on_commit(*names: str) -> None:
    """``forget`` now, and again once the current transaction commits.

    Now, so that reads later in the same transaction (and tests, which
    never commit) see the change; after commit, because a request loading
    between the first forget and the commit read the old rows and stored
    them under the new token. A name starts with its context's label
    (``"pricing:prices"``): the transaction is the one open on that
    context's database, which in split mode is not ``default``.
    """
    forget(*names)
    for context in {name.partition(":")[0] for name in names}:
        # After commit nothing can be undone: a failure there is only owed.
        databases.on_commit(context, lambda: _new_tokens(names), robust=True)


def cached(*, name: str, key: str, load: Callable[[], V], ttl: int) -> V:
    """``load()``, cached under ``name``'s current generation for at most ``ttl`` seconds,
    and kept for the rest of the current request.

    None is not cached (a missing product may appear without an event
    naming the key it was looked up by).
    """
    remembered = _request.values
    if remembered is not None and (name, key) in remembered:
        token, value = remembered[(name, key)]
        _record(name, token)  # read earlier in the request, under this generation
        return value
    held = _holding.get()
    if held is not None and (copy := _holds.get(name, key)) is not None:
        token, value = copy  # not remembered: unchecked until the `kept` that follows
        _record(name, token)
        return value
    token, value = _cached(name, key, load, ttl)
    _record(name, token)
    if held is not None and value is not None:
        _holds.put(name, key, token, value)
    if remembered is not None and value is not None:
        remembered[(name, key)] = (token, value)
    return value


def read_ahead(entries: Iterable[tuple[str, str]]) -> None:
    """Read the `cached` entries ``entries`` ((name, key) pairs) in one round trip now, for
    the rest of the current request: a later `cached` read of one found current makes no
    round trip of its own.

    For reads whose names are known before the code that makes them runs (a
    signed-in shopper's user snapshot and cart count are named by their
    session: kernel.read_ahead), each of which would otherwise cost a round
    trip in turn. Read as their own reads would be, from the cache now and
    outside any `observing` or `holding`: the same answer a moment earlier.
    An entry not found, or under an old generation, is left to its own read,
    which loads it. Outside a request (no request memo) it reads nothing.
    """
    remembered = _request.values
    if remembered is None:
        return
    entry_keys = {
        (name, key): _entry_key(name, key) for name, key in entries if (name, key) not in remembered
    }
    if not entry_keys:
        return
    with unobserved(checked=True):
        tokens, found = _generations_and_entries(
            (name for name, _ in entry_keys), entry_keys.values()
        )
    for (name, key), entry_key in entry_keys.items():
        entry = found.get(entry_key)
        if isinstance(entry, tuple) and entry[0] == tokens[name]:
            count_lookups(name, hits=1)
            remembered[(name, key)] = (tokens[name], entry[1])


def read_with_named(key: str, names_key: str) -> tuple[object | None, frozenset | None]:
    """``cache.get(key)``, and the `cached` entries `name_reads` named under ``names_key``,
    read as `read_ahead` reads them: in the same round trip, with the shop's Redis.

    For a read that says what else the request will read once it is decoded
    (a session names its user and cart, kernel.read_ahead), when what it
    named last time is a good guess: the guess costs no round trip of its
    own, and an entry found under an old generation, or not at all, is left
    to its own read. The answer: the value, and the entries named (None: none).
    """
    _pay_owed_forgets()
    if (get_listed := getattr(cache, "get_listed", None)) is None:
        named = cache.get(names_key)
        read_ahead(named or ())
        return cache.get(key), None if named is None else frozenset(named)
    value, named, found = get_listed(key, names_key)
    if named is None:
        return value, None
    named = frozenset((name, entry_key) for name, entry_key in named)
    remembered = _request.values
    for name, entry_key in named if remembered is not None else ():
        token, entry = found.get(_token_key(name)), found.get(_entry_key(name, entry_key))
        if token is not None and isinstance(entry, tuple) and entry[0] == token:
            count_lookups(name, hits=1)
            remembered[(name, entry_key)] = (token, entry[1])
    return value, named


def name_reads(names_key: str, entries: Iterable[tuple[str, str]], ttl: int) -> None:
    """Name the `cached` entries ``entries`` ((name, key) pairs) under ``names_key``, for
    `read_with_named` to read for ``ttl`` seconds."""
    entries = sorted(set(entries))
    if set_listing := getattr(cache, "set_listing", None):
        keys = [part for n, k in entries for part in (_token_key(n), _entry_key(n, k))]
        set_listing(names_key, keys, entries, ttl)
    else:
        cache.set(names_key, entries, ttl)


def _record(name: str, token: str) -> None:
    """Note a read's generation for `observing` and `holding`, whichever are on."""
    if (observed := _observed.get()) is not None:
        observed[name] = token
    if (held := _holding.get()) is not None:
        held[name] = token


def _cached(name: str, key: str, load: Callable[[], V], ttl: int) -> tuple[str, V]:
    """The generation ``name`` was read under, and the value."""
    mark = failure_mark()
    entry_key = _entry_key(name, key)
    tokens, entries = _generations_and_entries([name], [entry_key])
    token = tokens[name]
    entry = entries.get(entry_key)
    if isinstance(entry, tuple) and entry[0] == token:
        count_lookups(name, hits=1)
        return token, entry[1]
    count_lookups(name, misses=1, since=mark)
    value = load()
    if value is not None:
        cache.set(entry_key, (token, value), ttl)
    return token, value


def cached_many(
    *,
    keys: Iterable[K],
    name_of: Callable[[K], str],
    load: Callable[[list[K]], dict[K, V]],
    ttl: int,
) -> dict[K, V]:
    """Batch read: each key's value, cached under its own generation ``name_of(key)``.

    One round trip to the cache when everything is there (the tokens and the
    entries together); ``load`` is called once with the keys that were not.
    A key ``load`` leaves out is remembered as absent, like a value.
    """
    wanted = list(dict.fromkeys(keys))
    mark = failure_mark()
    entry_keys = {key: _entry_key(name_of(key), str(key)) for key in wanted}
    tokens, found = _generations_and_entries((name_of(key) for key in wanted), entry_keys.values())
    result: dict[K, V] = {}
    missing: list[K] = []
    for key, entry_key in entry_keys.items():
        entry = found.get(entry_key)
        if isinstance(entry, tuple) and entry[0] == tokens[name_of(key)]:
            _token, present, value = entry
            if present:
                result[key] = value
        else:
            missing.append(key)
    if wanted:
        # One label for all the keys: a batch's names share their kind ("inventory:sku").
        count_lookups(
            name_of(wanted[0]), hits=len(wanted) - len(missing), misses=len(missing), since=mark
        )
    if missing:
        loaded = load(missing)
        cache.set_many(
            {
                entry_keys[key]: (tokens[name_of(key)], key in loaded, loaded.get(key))
                for key in missing
            },
            ttl,
        )
        result.update(loaded)
    return result
