"""The client side: a context's ``api`` functions as stubs that call its service.

Each stub has the in-process function's signature (so a wrong argument is
the same ``TypeError`` at the call site), posts the bound arguments and
decodes the answer by the function's return hint (``kernel.remote.wire``).

Failures, and what a caller sees:

- every attempt has a connect and a read timeout: a hung service costs a
  caller at most ``(retries + 1) * (connect + read)`` seconds, and the
  breaker soon stops even that;
- a service that does not answer (refused, timed out, reset, 502/503/504
  or any 5xx) is retried, after a short growing pause, **only for an
  idempotent function**: the request may have been carried out before the
  answer was lost, and only an idempotent function may be carried out
  twice. The context says which of its functions are not
  (``not_idempotent``), with the reason; every other is retried;
- after ``threshold`` such failures in a row the breaker opens and calls
  fail at once, then one probe call is let through (``breaker``);
- the caller finally gets ``ServiceUnavailable`` (browse pages fall back
  on it as on any failure of pricing, ``kernel.isolation.call_optional``),
  the context's own ``DomainError`` when it refused, or ``RemoteCallError``
  when the service says the call itself is malformed (a bug: never retried).
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import requests

from kernel import correlation, metrics
from kernel.errors import DomainError
from kernel.remote import wire
from kernel.remote.breaker import CircuitBreaker, CircuitOpen

logger = logging.getLogger(__name__)

#: The header carrying the shared secret: ``Authorization: Bearer <secret>``.
AUTHORIZATION = "Authorization"


class ServiceUnavailable(Exception):
    """The context's service did not answer (after the retries allowed), or its breaker is open."""


class RemoteCallError(Exception):
    """The service refused the call as malformed or unauthorised: a bug or a misconfiguration."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a context's service is and how long to wait for it.

    ``url`` is the versioned base, e.g. ``http://pricing:8000/internal/pricing/v1/``;
    ``retries`` the extra attempts of an idempotent call, ``backoff`` the
    pause before the first of them in seconds (doubled for each next one).
    """

    context: str
    url: str
    secret: str
    connect_timeout: float
    read_timeout: float
    retries: int
    backoff: float


class Client:
    """Calls one context's service; one per process, shared by threads."""

    def __init__(
        self,
        *,
        endpoint: Endpoint,
        errors: Mapping[str, type[DomainError]],
        breaker: CircuitBreaker,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint
        self.errors = errors
        self.breaker = breaker
        self._sleep = sleep
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    def stubs(
        self, functions: Mapping[str, Callable], *, not_idempotent: Mapping[str, str]
    ) -> dict[str, Callable]:
        """A stub for each function; those named in ``not_idempotent`` are never retried."""
        unknown = set(not_idempotent) - set(functions)
        if unknown:
            raise ValueError(f"not_idempotent names no function: {', '.join(sorted(unknown))}")
        return {
            name: self.stub(name, function, idempotent=name not in not_idempotent)
            for name, function in functions.items()
        }

    def stub(self, name: str, function: Callable, *, idempotent: bool) -> Callable:
        """``function``'s remote twin, calling ``name``: same signature, name and docstring."""
        signature = inspect.signature(function)

        @functools.wraps(function)
        def remote(*args, **kwargs):
            arguments = signature.bind(*args, **kwargs).arguments
            body = self.call(name, wire.encode_arguments(arguments), idempotent)
            return wire.decode_result(function, body)

        return remote

    def call(self, name: str, payload: dict, idempotent: bool) -> dict:
        """Post ``payload`` to the function ``name``; the answer's body, or raise."""
        data = json.dumps(payload)
        attempts = 1 + (self.endpoint.retries if idempotent else 0)
        for attempt in range(attempts):
            if attempt:
                self._sleep(self.endpoint.backoff * 2 ** (attempt - 1))
            try:
                return self._attempt(name, data)
            except ServiceUnavailable as failure:
                if attempt + 1 == attempts or isinstance(failure.__cause__, CircuitOpen):
                    self._count(name, "unavailable")
                    raise
                logger.warning("%s.%s failed, retrying: %s", self.endpoint.context, name, failure)
                self._count(name, "retried")
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _attempt(self, name: str, data: str) -> dict:
        """One request, its outcome told to the breaker: a body, or an exception."""
        try:
            self.breaker.before_call()
        except CircuitOpen as exc:
            raise ServiceUnavailable(f"{self.endpoint.context} circuit open: {exc}") from exc
        try:
            status, text = self._post(name, data)
        except requests.RequestException as exc:
            self.breaker.failed()
            raise ServiceUnavailable(f"{self.endpoint.context}.{name}: {exc}") from exc
        if status >= 500:
            self.breaker.failed()
            raise ServiceUnavailable(f"{self.endpoint.context}.{name}: HTTP {status}")
        self.breaker.succeeded()
        return self._answer(name, status, text)

    def _post(self, name: str, data: str) -> tuple[int, str]:
        """The answer's status and body, read whole; the response itself is not kept.

        A response held on to (by the traceback of an error raised from its
        body, say) would keep its connection's socket open after the pool
        closed it.
        """
        response = self._session().post(
            self.endpoint.url + name,
            data=data,
            headers=self._headers(),
            timeout=(self.endpoint.connect_timeout, self.endpoint.read_timeout),
        )
        return response.status_code, response.text

    def _answer(self, name: str, status: int, text: str) -> dict:
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        if status == 200 and isinstance(body, dict) and "result" in body:
            self._count(name, "ok")
            return body
        if status == wire.DOMAIN_ERROR_STATUS:
            error = wire.decode_error(body, self.errors)
            if error is not None:
                self._count(name, "refused")
                raise error
        self._count(name, "malformed")
        raise RemoteCallError(f"{self.endpoint.context}.{name}: HTTP {status} {text[:500]}")

    def _headers(self) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            AUTHORIZATION: f"Bearer {self.endpoint.secret}",
            **correlation.outgoing_headers(),
        }

    def _session(self) -> requests.Session:
        """This thread's connection pool (a ``Session`` is not meant to be shared by threads)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            # A service on the internal network is called directly, never
            # through the HTTP(S)_PROXY meant for the outside world.
            session.trust_env = False
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close every thread's kept-alive connections (the service sees them end at once)."""
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def _count(self, name: str, outcome: str) -> None:
        metrics.count("remote_calls", context=self.endpoint.context, outcome=outcome)
