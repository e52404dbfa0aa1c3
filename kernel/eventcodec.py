"""Turning event dataclasses into JSON payloads and back. Stdlib only.

Events are the published schema between contexts, so a payload holds only
JSON types: Decimal travels as a string (never a float), datetimes and
dates as ISO 8601, UUIDs as strings. Decoding is driven by the event
class's type hints and ignores keys it does not know, so a subscriber keeps
working when a publisher adds a field to the same version of an event.
"""

from __future__ import annotations

import dataclasses
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
    return {f.name: _to_json(getattr(event, f.name)) for f in dataclasses.fields(event)}


def _to_json(value):  # noqa: PLR0911 - one branch per supported type
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _to_json(item) for key, item in value.items()}
    return value


def decode(event_class, payload: dict):
    """Build ``event_class`` (or any dataclass nested in one) from its payload."""
    hints = typing.get_type_hints(event_class)
    known = {f.name for f in dataclasses.fields(event_class) if f.init}
    values = {name: _from_json(hints[name], payload[name]) for name in known if name in payload}
    return event_class(**values)


def _from_json(hint, value):  # noqa: PLR0911 - one branch per supported type
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _from_json(inner, value)
    if origin in (tuple, list):
        args = typing.get_args(hint)
        item_hint = args[0] if args else typing.Any
        return origin(_from_json(item_hint, item) for item in value)
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
