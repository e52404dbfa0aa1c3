"""Pricing's api as a client of a service at some URL, and a service that fails as told.

``remote_api`` builds what ``pricing.api`` becomes with
``PRICING_SERVICE_URL`` set (the same ``pricing.remote.client_functions``),
but with the test's own endpoint, breaker clock and no pauses between
retries. ``FaultyService`` stands between the client and the real service
(or instead of it) on a loopback port, to stall, answer 503 or lose an
answer after the service has acted on the request.
"""

from __future__ import annotations

import http.client
import http.server
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kernel.remote import wire
from kernel.remote.breaker import CircuitBreaker
from kernel.remote.client import Client, Endpoint
from pricing import api, dtos, remote

SECRET = "s" * 40


class Clock:
    """A monotonic clock the test moves by hand: the breaker's cooldown without waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def remote_api(
    url: str,
    *,
    secret: str = SECRET,
    retries: int = 2,
    read_timeout: float = 5.0,
    breaker: CircuitBreaker | None = None,
) -> Iterator[dict[str, Callable]]:
    """Every function of ``pricing.api``, calling the service at ``url`` (its root).

    Its connections are closed on leaving, so no server thread outlives the test.
    """
    client = Client(
        endpoint=Endpoint(
            context="pricing",
            url=url.rstrip("/") + "/internal/pricing/v1/",
            secret=secret,
            connect_timeout=5.0,
            read_timeout=read_timeout,
            retries=retries,
            backoff=0.0,
        ),
        errors=wire.published_errors(dtos),
        breaker=breaker or CircuitBreaker(threshold=100, cooldown=60, clock=Clock()),
        sleep=lambda seconds: None,
    )
    try:
        yield remote.client_functions(vars(api), via=client)
    finally:
        client.close()


class FaultyService:
    """A loopback HTTP server answering as ``mode`` says; ``paths`` lists what it was asked.

    - ``forward``: pass the request to ``upstream`` and its answer back;
    - ``unavailable``: answer 503 without asking upstream;
    - ``stall``: never answer (until the server stops), so the client times out;
    - ``lose_answer``: forward, then hang up instead of answering, once;
      forwarding after that.
    """

    def __init__(self, upstream: str | None = None, mode: str = "forward") -> None:
        self.upstream = upstream
        self.mode = mode
        self.paths: list[str] = []
        self.released = threading.Event()
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.paths.append(self.path)
                service.handle(self, body)

            def log_message(self, *args) -> None:  # keep the test output clean
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultyService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def handle(self, handler: http.server.BaseHTTPRequestHandler, body: bytes) -> None:
        if self.mode == "stall":
            self.released.wait()
            return
        if self.mode == "unavailable":
            handler.send_response(503)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        status, answer = self._forward(handler, body)
        if self.mode == "lose_answer":
            self.mode = "forward"
            handler.close_connection = True
            return  # the service has acted; the caller hears nothing
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(answer)))
        handler.end_headers()
        handler.wfile.write(answer)

    def _forward(self, handler, body: bytes) -> tuple[int, bytes]:
        target = urllib.parse.urlsplit(self.upstream)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        try:
            headers = {
                name: handler.headers[name]
                for name in ("Content-Type", "Authorization")
                if name in handler.headers
            }
            connection.request("POST", handler.path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()
