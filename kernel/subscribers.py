"""The registry of event subscribers.

    @subscriber("catalog.search_projection.price", event=PriceChanged)
    def on_price_changed(event: PriceChanged) -> None: ...

Subscribers are registered when their module is imported: each context
imports its ``handlers`` module in ``AppConfig.ready``, so every process
(web, worker, beat) knows the same subscribers. A subscriber has a stable,
unique name; deliveries and the inbox refer to that name, so renaming one
is a data migration, not a refactor. Handlers must be idempotent in effect
(the inbox already drops exact redeliveries) and tolerate events arriving
out of order (compare the event's own timestamp or version).

A subscriber registered with ``batch=True`` takes a list of events instead
of one: the relay delivers up to ``OUTBOX_DELIVERY_BATCH`` of its events in
one call, so it can handle them in a few statements, not a few per event
(the search projection during an import):

    @subscriber("catalog.search_projection.price_changed", event=PriceChanged, batch=True)
    def on_prices_changed(events: list[PriceChanged]) -> None: ...

The list may hold a single event (a retry), and events of one thing in any
order, repeats included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

from kernel import eventcodec
from kernel.databases import database_of


@dataclass(frozen=True, slots=True)
class Subscriber:
    name: str
    event_class: type
    handler: Callable[[object], None]
    #: The handler takes a list of events (``subscriber(..., batch=True)``).
    batch: bool = False
    #: Whether the subscriber wants events now (``subscriber(..., wanted=...)``):
    #: asked when an event is fanned out; None is always.
    wanted: Callable[[], bool] | None = None

    def wants_events(self) -> bool:
        return self.wanted is None or self.wanted()

    @property
    def event_type(self) -> str:
        return self.event_class.event_type

    @property
    def context(self) -> str:
        """The app label of the context the handler belongs to: its queue is named after it."""
        app_config = apps.get_containing_app_config(self.handler.__module__)
        return app_config.label if app_config else ""

    @property
    def database(self) -> str:
        """Where the subscriber's context keeps its data, and so its inbox."""
        return database_of(self.context)


_registry: dict[str, Subscriber] = {}


def subscriber(
    name: str, *, event: type, batch: bool = False, wanted: Callable[[], bool] | None = None
) -> Callable:
    """Register the decorated function as the subscriber ``name`` of ``event``
    (of a list of them with ``batch``).

    ``wanted`` names a switch that is off where the subscriber has nothing to
    do (the front cache's bans without a cache in front): while it says
    False, the relay makes no delivery of new events to it, which would
    otherwise cost a delivery, an inbox row and a transaction per event.
    """
    eventcodec.event_type_of(event)

    def register(handler: Callable[[object], None]) -> Callable[[object], None]:
        existing = _registry.get(name)
        if existing and existing.handler.__qualname__ != handler.__qualname__:
            raise ValueError(f"subscriber name {name!r} is already taken by {existing.handler!r}")
        _registry[name] = Subscriber(
            name=name, event_class=event, handler=handler, batch=batch, wanted=wanted
        )
        return handler

    return register


def subscribers_of(event_type: str) -> list[Subscriber]:
    return [s for s in _registry.values() if s.event_type == event_type]


def get_subscriber(name: str) -> Subscriber | None:
    return _registry.get(name)


def subscriber_names() -> list[str]:
    return sorted(_registry)
