"""Request ids: chosen once per request, echoed, and carried into log
records, Celery tasks, outbox deliveries and outgoing calls."""

import logging
import re

import pytest
from celery import shared_task, signals

from kernel import correlation
from kernel.models import OutboxEvent
from kernel.tests.probes import receipts
from tests.probe.services import probe_happen

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
GENERATED = re.compile(r"[0-9a-f]{32}")

logger = logging.getLogger(__name__)


@shared_task(name="kernel.tests.log_a_line")
def log_a_line() -> None:
    logger.warning("a task's line")


@pytest.mark.parametrize(
    ("sent", "traceparent", "expected"),
    [
        ("checkout-42.a:b_c", None, "checkout-42.a:b_c"),  # sane: kept as sent
        ("checkout-42", TRACEPARENT, "checkout-42"),  # the client's own id wins
        (None, TRACEPARENT, TRACE_ID),  # else the trace's id
        (None, TRACEPARENT.upper(), TRACE_ID),
        ("bad id\r\nSet-Cookie: x", TRACEPARENT, TRACE_ID),  # an insane id is ignored
    ],
)
def test_the_request_id_is_the_clients_or_the_traces(sent, traceparent, expected):
    assert correlation.request_id_from_headers(request_id=sent, traceparent=traceparent) == expected


@pytest.mark.parametrize(
    ("sent", "traceparent"),
    [
        (None, None),
        ("", ""),
        ("x" * 101, None),  # too long
        ("-leading-dash", None),
        ("héllo", None),
        ('"quoted"', None),
        (None, f"00-{'0' * 32}-00f067aa0ba902b7-01"),  # the all-zero trace id is invalid
        (None, f"ff-{TRACE_ID}-00f067aa0ba902b7-01"),  # an unknown version
        (None, "garbage"),
    ],
)
def test_otherwise_a_new_one_is_made(sent, traceparent):
    made = correlation.request_id_from_headers(request_id=sent, traceparent=traceparent)
    assert GENERATED.fullmatch(made)
    assert made != correlation.request_id_from_headers(request_id=sent, traceparent=traceparent)


@pytest.mark.django_db
def test_every_response_echoes_its_request_id(client):
    sent = client.get("/", headers={"X-Request-ID": "from-the-proxy-1"})
    assert sent["X-Request-ID"] == "from-the-proxy-1"
    traced = client.get("/no-such-page/", headers={"traceparent": TRACEPARENT})
    assert traced.status_code == 404
    assert traced["X-Request-ID"] == TRACE_ID
    made = client.get("/", headers={"X-Request-ID": "no\tgood"})["X-Request-ID"]
    assert GENERATED.fullmatch(made)
    assert client.get("/")["X-Request-ID"] != made


@pytest.mark.django_db
def test_the_log_line_of_an_error_response_carries_the_request_id(client, caplog):
    """Django logs 4xx and 5xx responses after the last middleware: here, before."""
    client.get("/c/no-such-category/", headers={"X-Request-ID": "req-404"})
    [logged] = [r for r in caplog.records if r.name == "django.request"]
    assert (logged.getMessage(), logged.request_id) == (
        "Not Found: /c/no-such-category/",
        "req-404",
    )


@pytest.mark.django_db
def test_a_host_the_shop_does_not_serve_is_one_warning_not_an_error(client, caplog):
    """A client's mistake: logged once, no ERROR with a traceback to alert on."""
    response = client.get("/", headers={"Host": "evil.example", "X-Request-ID": "req-host"})
    assert response.status_code == 400
    [logged] = caplog.records
    assert (logged.levelname, logged.request_id, logged.exc_info) == ("WARNING", "req-host", None)
    assert logged.getMessage().startswith("Invalid HTTP_HOST header: 'evil.example'.")


def test_log_records_carry_the_request_id_of_the_work_that_wrote_them(caplog):
    with correlation.bound("req-1"):
        logger.warning("inside")
    logger.warning("outside")
    assert [(r.getMessage(), r.request_id) for r in caplog.records] == [
        ("inside", "req-1"),
        ("outside", "-"),
    ]


def test_outgoing_calls_get_the_header_only_inside_some_work():
    assert correlation.outgoing_headers() == {}
    with correlation.bound("req-2"):
        assert correlation.outgoing_headers() == {"X-Request-ID": "req-2"}


def test_a_task_sent_during_a_request_carries_its_id_in_the_message(use_broker):
    """The sender's side: the header is set when the message is published."""
    use_broker("memory://localhost/")
    published = []

    def capture(headers=None, **_):
        published.append(dict(headers))

    signals.before_task_publish.connect(capture, weak=False)
    try:
        with correlation.bound("req-3"):
            log_a_line.delay()
        log_a_line.delay()  # outside any request: no header
    finally:
        signals.before_task_publish.disconnect(capture)
    assert [headers.get("request_id") for headers in published] == ["req-3", None]


def test_a_worker_runs_the_task_under_the_id_in_its_message(caplog):
    """The worker's side: the header is bound for the run, and unbound after."""
    log_a_line.apply(headers={"request_id": "req-4"})
    log_a_line.apply(task_id="beat-sent-1")  # no header: the task's own id
    with correlation.bound("req-5"):
        log_a_line.delay()  # eager: runs within the caller's work
    assert [r.request_id for r in caplog.records if r.name == __name__] == [
        "req-4",
        "beat-sent-1",
        "req-5",
    ]
    assert correlation.current_request_id() == ""


@pytest.mark.django_db
def test_an_event_keeps_the_id_of_the_request_that_published_it_into_its_delivery(
    client, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="kernel.relay")
    with (
        django_capture_on_commit_callbacks(execute=True),
        correlation.bound("req-6"),
    ):
        probe_happen(label="traced")
    assert OutboxEvent.objects.get().metadata == {"request_id": "req-6"}
    assert receipts() == ["traced"]
    delivered = [r for r in caplog.records if r.getMessage().startswith("delivered probe")]
    assert len(delivered) == 2  # both subscribers
    assert {r.request_id for r in delivered} == {"req-6"}


@pytest.mark.django_db
def test_an_event_published_outside_any_request_is_delivered_under_an_id_of_its_own(
    caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="kernel.relay")
    with django_capture_on_commit_callbacks(execute=True):
        probe_happen(label="from a command")
    assert OutboxEvent.objects.get().metadata == {}
    delivered = [r for r in caplog.records if r.getMessage().startswith("delivered probe")]
    assert all(GENERATED.fullmatch(r.request_id) for r in delivered)


@pytest.mark.django_db
def test_events_of_different_requests_delivered_in_one_batch_keep_their_own_ids(caplog):
    from kernel import relay
    from kernel.outbox import publish
    from tests.probe.events import ProbeHappened
    from tests.probe.handlers import RECORDER

    caplog.set_level(logging.INFO, logger="kernel.relay")
    for request_id in ["req-7", "req-8"]:
        with correlation.bound(request_id):
            publish(ProbeHappened(label=request_id))  # never committed: no nudge
    relay.relay(dispatch=relay.deliver_due)  # one batch per subscriber

    logged = {
        r.getMessage(): r.request_id
        for r in caplog.records
        if r.getMessage().startswith("delivered probe") and r.getMessage().endswith(RECORDER)
    }
    assert logged == {
        f"delivered {e.event_type} {e.event_id} to {RECORDER}": e.metadata["request_id"]
        for e in OutboxEvent.objects.all()
    }
