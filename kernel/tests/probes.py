"""Helpers shared by the outbox tests: what the probe subscribers received,
and events waiting in the outbox that no relay has dispatched yet."""

from kernel import eventcodec, relay
from kernel.models import Delivery, OutboxEvent
from tests.probe.events import ProbeHappened
from tests.probe.handlers import RECORDER
from tests.probe.models import Receipt


def receipts(subscriber: str = RECORDER) -> list[str]:
    """Labels of the events ``subscriber`` ran for, once per run."""
    return list(Receipt.objects.filter(subscriber=subscriber).values_list("label", flat=True))


def fanned_out(event: ProbeHappened) -> dict[str, Delivery]:
    """Store ``event`` as ``publish`` would, but without the nudge, and fan it
    out: its deliveries, by subscriber, pending and undispatched."""
    row = OutboxEvent.objects.create(event_type=event.event_type, payload=eventcodec.encode(event))
    relay.fan_out(batch_size=100)
    return {delivery.subscriber: delivery for delivery in row.deliveries.all()}
