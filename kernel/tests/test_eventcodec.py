"""Events survive the trip through a JSON payload, exactly, and old
subscribers keep decoding payloads that grew a field."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import ClassVar
from uuid import UUID

import pytest

from kernel import eventcodec


class Channel(Enum):
    WEB = "web"
    APP = "app"


@dataclass(frozen=True, slots=True)
class Line:
    sku: str
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class Sampled:
    event_type: ClassVar[str] = "test.sampled.v1"

    order_id: UUID
    total: Decimal
    placed_at: datetime
    ships_on: date
    channel: Channel
    skus: tuple[str, ...]
    lines: tuple[Line, ...]
    coupon: str | None = None
    discount: Decimal | None = None


def sample(**changes) -> Sampled:
    values = {
        "order_id": UUID("6f1c7a52-2a55-4c3e-9d8e-0b1d2c3e4f50"),
        "total": Decimal("19.990"),
        "placed_at": datetime(2026, 11, 21, 12, 30, 5, 123456, tzinfo=UTC),
        "ships_on": date(2026, 11, 23),
        "channel": Channel.APP,
        "skus": ("TEA-001", "MUG-002"),
        "lines": (Line("TEA-001", Decimal("4.50")), Line("MUG-002", Decimal("15.49"))),
        "coupon": "WINTER",
        "discount": Decimal("0.001"),
    }
    return Sampled(**(values | changes))


def round_trip(event):
    # Through real JSON text, as the payload is stored and sent.
    return eventcodec.decode(type(event), json.loads(json.dumps(eventcodec.encode(event))))


def test_every_supported_type_round_trips_exactly():
    event = sample()
    decoded = round_trip(event)
    assert decoded == event
    assert isinstance(decoded.skus, tuple)
    assert decoded.total.as_tuple() == Decimal("19.990").as_tuple()  # no float on the way
    assert decoded.placed_at.tzinfo is not None


def test_decimals_travel_as_strings_never_floats():
    payload = eventcodec.encode(sample())
    assert payload["total"] == "19.990"
    assert payload["lines"][1] == {"sku": "MUG-002", "unit_price": "15.49"}


def test_optional_fields_round_trip_when_empty_and_default_when_missing():
    event = sample(coupon=None, discount=None)
    assert round_trip(event) == event
    payload = eventcodec.encode(sample())
    del payload["coupon"], payload["discount"]
    decoded = eventcodec.decode(Sampled, payload)
    assert (decoded.coupon, decoded.discount) == (None, None)


def test_unknown_payload_keys_are_ignored():
    payload = eventcodec.encode(sample()) | {"gift_wrap": True, "added_in_a_later_release": "x"}
    assert eventcodec.decode(Sampled, payload) == sample()


@pytest.mark.parametrize("not_an_event", [Line("A", Decimal(1)), object(), {"event_type": "x"}])
def test_only_events_can_be_encoded(not_an_event):
    with pytest.raises(TypeError, match="is not an event"):
        eventcodec.encode(not_an_event)
