"""OpenTelemetry traces, only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set.

Off (the default), nothing is instrumented: no OpenTelemetry module is even
imported, every helper here returns at its first line, and a request pays
nothing. On, `configure` (called once per process from the kernel's
``AppConfig.ready``, before Django loads its middleware) sends spans over
OTLP/HTTP to that endpoint and instruments:

- Django: a span per request, continuing an incoming ``traceparent``
  (not the probes and the scrape); a request without an ``X-Request-ID``
  takes its trace's id as its request id, so a log line leads to its trace,
  and every request's span names its id (``commerce.request_id``);
- psycopg: a span per SQL statement;
- Celery: a span per task, continuing the sender's trace through the
  message headers;
- requests: outgoing HTTP calls carry ``traceparent`` (a context that leaves
  the monolith is called that way).

The outbox is the one hop no library knows: `publish` stores the current
trace context with the event (`carrier`), and each delivery of it runs in a
span that continues that trace (`continued`), in whichever worker and
however late it runs. The OpenTelemetry SDK reads its usual variables
(``OTEL_SERVICE_NAME``, ``OTEL_TRACES_SAMPLER``, ``OTEL_RESOURCE_ATTRIBUTES``,
``OTEL_EXPORTER_OTLP_HEADERS``, ...).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.conf import settings

_configured = False
REQUEST_MIDDLEWARE = "kernel.middleware.observe_requests_middleware"
#: The span attribute holding a request's id.
REQUEST_ID_ATTRIBUTE = "commerce.request_id"


def enabled() -> bool:
    return settings.TRACING_ENABLED


def configure() -> None:
    """Install the tracer provider and the instrumentations; once per process."""
    global _configured  # noqa: PLW0603 - one tracer provider per process
    if _configured or not enabled():
        return
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(
        resource=Resource.create({"service.name": settings.TRACING_SERVICE_NAME})
    )
    # The batch processor restarts its export thread in a forked child
    # (gunicorn and Celery prefork workers), so configuring before the fork
    # is safe.
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    # Right before the request-id middleware: after the probes and the
    # scrape, which are answered first and never traced (one span a second
    # would drown the traffic, and the host check would refuse a probe by IP).
    DjangoInstrumentor().instrument(
        middleware_position=settings.MIDDLEWARE.index(REQUEST_MIDDLEWARE)
    )
    PsycopgInstrumentor().instrument()
    CeleryInstrumentor().instrument()
    RequestsInstrumentor().instrument()
    _configured = True


def tag_request(request_id: str) -> None:
    """Name the request id on the current span (the request's), so a trace is
    found from a log line whose id the caller chose (no-op when off)."""
    if not enabled():
        return
    from opentelemetry import trace

    trace.get_current_span().set_attribute(REQUEST_ID_ATTRIBUTE, request_id)


def carrier() -> dict[str, str]:
    """The current trace context as headers (``traceparent``...), or {} when off."""
    if not enabled():
        return {}
    from opentelemetry import propagate

    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers


def current_traceparent() -> str | None:
    """The ``traceparent`` of the current span, or None (always None when off)."""
    return carrier().get("traceparent")


@contextlib.contextmanager
def continued(name: str, headers: dict[str, str], **attributes: str) -> Iterator[None]:
    """Run the enclosed work in a span ``name`` that continues ``headers``' trace."""
    if not enabled():
        yield
        return
    from opentelemetry import propagate, trace

    tracer = trace.get_tracer(__name__)
    with tracer.start_as_current_span(
        name,
        context=propagate.extract(headers),
        kind=trace.SpanKind.CONSUMER,
        attributes=attributes,
    ):
        yield
