"""OpenTelemetry: nothing at all unless an OTLP endpoint is configured."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from opentelemetry import trace
from opentelemetry.instrumentation.celery import CeleryInstrumentor
from opentelemetry.instrumentation.django import DjangoInstrumentor

from kernel import tracing

ROOT = Path(__file__).resolve().parents[2]

TRACED_PROCESS = """
import django
django.setup()
import requests
from django.test import Client
from opentelemetry import trace
from opentelemetry.instrumentation.celery import CeleryInstrumentor
from opentelemetry.instrumentation.django import DjangoInstrumentor
from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
from opentelemetry.instrumentation.requests import RequestsInstrumentor
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from kernel import tracing

for instrumentor in (DjangoInstrumentor, PsycopgInstrumentor, CeleryInstrumentor,
                     RequestsInstrumentor):
    assert instrumentor().is_instrumented_by_opentelemetry, instrumentor
spans = InMemorySpanExporter()
trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(spans))

trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
parent = {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
client = Client(SERVER_NAME="localhost")
assert client.get("/healthz", SERVER_NAME="10.0.0.7").status_code == 200  # a probe: no span
client.get("/no-such-page/", headers={**parent, "X-Request-ID": "chosen-by-the-proxy"})
# No X-Request-ID and no traceparent: the request id is the new trace's id.
response = client.get("/no-such-page/")
assert format(spans.get_finished_spans()[-1].context.trace_id, "032x") == response["X-Request-ID"]
with trace.get_tracer("test").start_as_current_span("publish"):
    carried = tracing.carrier()
with tracing.continued("deliver probe", carried, subscriber="probe.recorder"):
    pass
# A call to an out-of-process context (pricing's service) carries the trace.
sent = []
def answer(adapter, request, **options):
    sent.append(request.headers)
    response = requests.Response()
    response.status_code = 200
    return response
requests.adapters.HTTPAdapter.send = answer
with trace.get_tracer("test").start_as_current_span("page") as page:
    requests.post("http://pricing.internal/internal/pricing/v1/quote", data="{}")
[headers] = sent
assert headers["traceparent"].split("-")[1] == format(page.get_span_context().trace_id, "032x")
finished = {span.name: span for span in spans.get_finished_spans()}
assert set(finished) == {"GET", "publish", "deliver probe", "page", "POST"}, set(finished)
assert finished["POST"].parent.span_id == page.get_span_context().span_id
first = spans.get_finished_spans()[0]
assert format(first.context.trace_id, "032x") == trace_id
assert first.attributes[tracing.REQUEST_ID_ATTRIBUTE] == "chosen-by-the-proxy"
delivery = finished["deliver probe"]
assert delivery.context.trace_id == finished["publish"].context.trace_id
assert delivery.parent.span_id == finished["publish"].context.span_id
assert delivery.attributes["subscriber"] == "probe.recorder"
print("traced")
"""


def test_off_by_default_nothing_is_instrumented_or_carried():
    assert not settings.TRACING_ENABLED
    assert not any("opentelemetry" in entry for entry in settings.MIDDLEWARE)
    assert not DjangoInstrumentor().is_instrumented_by_opentelemetry
    assert not CeleryInstrumentor().is_instrumented_by_opentelemetry
    # No provider installed: every span anyone would start is a no-op.
    assert isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
    assert tracing.carrier() == {}
    with tracing.continued("deliver", {"traceparent": "00-ab-cd-01"}):
        pass


def test_with_an_endpoint_requests_tasks_sql_and_deliveries_are_traced():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # Nothing listens there: the batch exporter's failures stay in its thread.
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1",
    }
    done = subprocess.run(
        [sys.executable, "-c", TRACED_PROCESS],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("traced")
