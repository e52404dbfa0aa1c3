"""One id per request, followed wherever the request's work goes.

A request's id is taken from a sane incoming ``X-Request-ID`` (a proxy or
the client already named it), else from the trace id of a W3C
``traceparent`` (so logs and traces share one key), else made up. It is
kept in a context variable for the request's thread and travels on:

- into every log record (`install_log_record_factory`; the formats in
  ``LOGGING`` show it);
- into Celery tasks sent meanwhile (a message header, set when the task is
  published and restored in the worker: `kernel.taskhooks`);
- into outbox events published meanwhile (``OutboxEvent.metadata``), and
  from there into each delivery of the event, whichever process runs it;
- into outgoing HTTP calls (`outgoing_headers`), for the day a context is
  called over the network.

Work that no request started (a beat task, a command) gets an id of its
own, so its log lines still group together.
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar, Token

REQUEST_ID_HEADER = "X-Request-ID"
#: An incoming id is used as is only if it is this short and this plain: it
#: ends up in log lines, headers and rows, so nothing may smuggle in a
#: newline, a quote or a megabyte.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
# version 00; a trace id of all zeros is invalid by the W3C spec.
_TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}")
_INVALID_TRACE_ID = "0" * 32

_request_id: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the work this thread is doing, or "" outside any."""
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(candidate: str | None) -> str | None:
    """``candidate`` if it may be used as a request id, else None."""
    if candidate and _SANE_ID.fullmatch(candidate):
        return candidate
    return None


def request_id_from_headers(*, request_id: str | None, traceparent: str | None) -> str:
    """The id for an incoming request: its own if sane, its trace's, or a new one."""
    if sane := sane_request_id(request_id):
        return sane
    match = _TRACEPARENT.fullmatch((traceparent or "").strip().lower())
    if match and match.group(1) != _INVALID_TRACE_ID:
        return match.group(1)
    return new_request_id()


def bind(request_id: str) -> Token[str]:
    """Make ``request_id`` current until `unbind` is given the returned token."""
    return _request_id.set(request_id)


def unbind(token: Token[str]) -> None:
    _request_id.reset(token)


@contextlib.contextmanager
def bound(request_id: str | None) -> Iterator[str]:
    """Do the enclosed work under ``request_id`` (a new one if None or not sane)."""
    value = sane_request_id(request_id) or new_request_id()
    token = bind(value)
    try:
        yield value
    finally:
        unbind(token)


def outgoing_headers() -> dict[str, str]:
    """Headers that carry the current request id to another service.

    Meant for the HTTP clients that replace a context's ``api`` once it
    leaves the monolith: ``requests.get(url, headers=outgoing_headers())``.
    With tracing on, the requests/httpx instrumentation adds ``traceparent``
    itself.
    """
    request_id = current_request_id()
    return {REQUEST_ID_HEADER: request_id} if request_id else {}


def install_log_record_factory() -> None:
    """Stamp every log record with ``request_id`` (or "-") when it is made.

    At creation, so that every handler sees it, pytest's ``caplog`` and
    Celery's included, and a record handed to another thread keeps the id
    of the work that wrote it. Once per process (the kernel's ready()).
    """
    make = logging.getLogRecordFactory()
    if getattr(make, "stamps_request_id", False):
        return

    def stamped(*args, **kwargs) -> logging.LogRecord:
        record = make(*args, **kwargs)
        record.request_id = current_request_id() or "-"
        return record

    stamped.stamps_request_id = True
    logging.setLogRecordFactory(stamped)


class RequestIdFilter(logging.Filter):
    """Makes sure a record has ``request_id`` for the formatter, e.g. one
    made while Django was still starting, before the record factory."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return True
