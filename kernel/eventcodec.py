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
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
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
    return _decoder(event_class)(payload)


def from_json(hint, value):
    """The value of type ``hint`` that ``to_json`` turned into ``value``."""
    return _decoder(hint)(value)


#: Abstract collections an ``api`` argument may be typed with; they arrive as lists.
_SEQUENCES = (list, collections.abc.Iterable, collections.abc.Sequence, collections.abc.Collection)
#: Types made from their JSON value by one call.
_SCALARS = {
    Decimal: Decimal,
    UUID: UUID,
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
}


@functools.cache
def _decoder(hint) -> Callable[[Any], Any]:  # noqa: PLR0911 - one branch per supported type
    """A function from what ``to_json`` made of a ``hint`` back to it, None staying None.

    Built once per type, so decoding a value walks no type hints: a kept
    product page decodes some fifty product documents when nothing is
    cached, and the relay every event it delivers.
    """
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _decoder(inner)
    if origin is tuple or origin in _SEQUENCES:
        args = typing.get_args(hint)
        item = _decoder(args[0] if args else typing.Any)
        if origin is tuple:
            return lambda value: None if value is None else tuple([item(each) for each in value])
        return lambda value: None if value is None else [item(each) for each in value]
    if origin is dict:
        key, item = (_decoder(arg) for arg in typing.get_args(hint))
        return lambda value: (
            None if value is None else {key(name): item(each) for name, each in value.items()}
        )
    if hint in _SCALARS:
        make = _SCALARS[hint]
        return lambda value: None if value is None else make(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return lambda value: None if value is None else hint(value)
    if dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    return _as_is


def _dataclass_decoder(dataclass: type) -> Callable[[Any], Any]:
    """The fields a dataclass is built from, with their types, read once per class.

    ``typing.get_type_hints`` evaluates every annotation again on each call
    (they are strings under ``from __future__ import annotations``); it took
    a third of the relay's time delivering an import's events. Keys the class
    does not know are ignored, so a subscriber keeps working when a publisher
    adds a field.
    """
    hints = typing.get_type_hints(dataclass)
    fields = [(f.name, hints[f.name]) for f in dataclasses.fields(dataclass) if f.init]
    # Made on first use: a dataclass may hold itself (a category's children).
    decoders: list[tuple[str, Callable[[Any], Any]]] | None = None

    def decode_dataclass(payload):
        nonlocal decoders
        if payload is None:
            return None
        if decoders is None:
            decoders = [(name, _decoder(hint)) for name, hint in fields]
        return dataclass(
            **{name: make(payload[name]) for name, make in decoders if name in payload}
        )

    return decode_dataclass


def _as_is(value):
    return value
