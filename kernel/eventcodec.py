"""Turning event dataclasses into JSON payloads and back. Stdlib only.

Events are the published schema between contexts, so a payload holds only
JSON types: Decimal travels as a string (never a float), datetimes and
dates as ISO 8601, UUIDs as strings. Decoding is driven by the event
class's type hints and ignores keys it does not know, so a subscriber keeps
working when a publisher adds a field to the same version of an event.

``to_json`` and ``from_json`` do the same for any value an ``api``
function takes or returns (DTOs, lists, dicts, iterables): they are also
the wire format of a context served out of process (``kernel.remote``), so
events and remote calls cannot drift apart.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID


def event_type_of(event_or_class) -> str:
    event_type = getattr(event_or_class, "event_type", None)
    if not isinstance(event_type, str) or not dataclasses.is_dataclass(event_or_class):
        raise TypeError(
            f"{event_or_class!r} is not an event: events are dataclasses with an "
            "`event_type: ClassVar[str]` such as 'pricing.price_changed.v1'"
        )
    return event_type


def encode(event) -> dict:
    event_type_of(event)
    return {f.name: to_json(getattr(event, f.name)) for f in dataclasses.fields(event)}


def to_json(value):  # noqa: PLR0911 - one branch per supported type
    """``value`` in JSON types; any iterable but a string (a generator too) becomes a list."""
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, collections.abc.Iterable) and not isinstance(value, str | bytes):
        return [to_json(item) for item in value]
    return value


def decode(event_class, payload: dict):
    """Build ``event_class`` (or any dataclass nested in one) from its payload."""
    fields = _fields_of(event_class)
    values = {name: from_json(hint, payload[name]) for name, hint in fields if name in payload}
    return event_class(**values)


@functools.cache
def _fields_of(dataclass: type) -> tuple[tuple[str, object], ...]:
    """The fields a dataclass is built from, with their types: read once per class.

    ``typing.get_type_hints`` evaluates every annotation again on each call
    (they are strings under ``from __future__ import annotations``); it took
    a third of the relay's time delivering an import's events.
    """
    hints = typing.get_type_hints(dataclass)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(dataclass) if f.init)


#: Abstract collections an ``api`` argument may be typed with; they arrive as lists.
_SEQUENCES = (list, collections.abc.Iterable, collections.abc.Sequence, collections.abc.Collection)


def from_json(hint, value):  # noqa: PLR0911 - one branch per supported type
    """The value of type ``hint`` that ``to_json`` turned into ``value``."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return from_json(inner, value)
    if origin is tuple or origin in _SEQUENCES:
        args = typing.get_args(hint)
        item_hint = args[0] if args else typing.Any
        items = [from_json(item_hint, item) for item in value]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        key_hint, item_hint = typing.get_args(hint)
        return {from_json(key_hint, key): from_json(item_hint, item) for key, item in value.items()}
    if hint is Decimal:
        return Decimal(value)
    if hint is UUID:
        return UUID(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if dataclasses.is_dataclass(hint):
        return decode(hint, value)
    return value
