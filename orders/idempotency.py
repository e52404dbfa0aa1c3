"""``Idempotency-Key`` for POST endpoints: a retried request never acts twice.

    class CaptureView(APIView):
        @idempotent
        def post(self, request, number): ...

A client sends a unique key with a request that has a side effect (a
payment, a refund, placing an order). Keys are scoped to the caller
(``user:<id>``; a guest app by its cart or order access token; else the
session) and remembered for ``ORDERS_IDEMPOTENCY_TTL_HOURS`` (24 h; expired
keys are purged hourly):

* first request with the key: it runs, and its response is stored as the
  bytes that were sent (and their content type), not as a value to be
  serialised again: a replay is byte for byte the first answer, whatever
  the database does to JSON (PostgreSQL's jsonb reorders keys) or the
  renderer's settings become;
* same key, same request (method, path and body): the stored response,
  header ``Idempotent-Replayed: true``, and nothing runs again;
* same key, another request: 422;
* same key while the first request still runs: 409, retry later.

How it holds under concurrency: the key is claimed by inserting its row,
committed at once and skipped on a conflict, so of N parallel requests
exactly one insert succeeds (unique constraint) and the others see the claim. The handler
then runs in one transaction together with the write of its response: its
side effects and the "done" mark commit together or not at all. A failure
(an exception, a 5xx) rolls both back and releases the claim, so the client
may retry; a claim left behind by a crashed process is taken over after
``IN_FLIGHT_TIMEOUT``, which is safe because its side effects cannot have
committed without the "done" mark.

A handler whose effect spans contexts must not run in one transaction (no
transaction spans two contexts, docs/architecture.md): placing an order
commits pricing's, inventory's and orders' steps one by one, compensating
on failure. ``@idempotent(atomic=False)`` runs such a handler outside any
transaction and stores its answer afterwards. The "done" mark then no
longer commits with the effect, so the handler must itself be idempotent
for the key: it passes the key (`submission_token`) to what it does, and a
repeat, after an exception or a crash between the effect and the stored
answer, finds the effect under that token instead of making a second one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from rest_framework import status
from rest_framework.response import Response

from kernel import databases
from kernel.inserts import insert_unless_taken
from kernel.rest import problem, problem_response
from orders import access
from orders.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
#: A key: visible ASCII characters, spaces only between them (the schema's pattern).
KEY_PATTERN = r"^[!-~]([ !-~]*[!-~])?$"
#: Longer than any request may run (gunicorn's timeout); after this an in-flight claim is stale.
IN_FLIGHT_TIMEOUT = timedelta(minutes=5)


def idempotent(handler=None, *, atomic: bool = True):
    """Wrap an APIView method so it honours the ``Idempotency-Key`` header (required).

    ``atomic=False``: the handler runs outside a transaction (it spans
    contexts) and must be idempotent for `submission_token` itself (see above).
    """
    if handler is None:
        return functools.partial(idempotent, atomic=atomic)

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if len(key) > MAX_KEY_LENGTH or not re.fullmatch(KEY_PATTERN, key):
            return _problem(
                status.HTTP_400_BAD_REQUEST,
                "idempotency_key_required",
                f"Send a unique {HEADER} header (at most {MAX_KEY_LENGTH} visible ASCII "
                "characters) with this request.",
            )
        claim = _claim(scope=scope_of(request), key=key, fingerprint=fingerprint_of(request))
        if isinstance(claim, HttpResponse):
            return claim
        try:
            with databases.atomic("orders") if atomic else contextlib.nullcontext():
                response = handler(view, request, *args, **kwargs)
                if response.status_code >= 500:
                    raise _NotStored(response)
                # Rendered as dispatch would render it: the bytes stored are the bytes sent.
                response = view.finalize_response(request, response, *args, **kwargs)
                response.render()
                IdempotencyKey.objects.filter(pk=claim.pk).update(
                    state=IdempotencyKey.State.DONE,
                    response_status=response.status_code,
                    response_content_type=response["Content-Type"],
                    response_bytes=response.content,
                )
        except _NotStored as failed:
            _release(claim)
            return failed.response
        except BaseException:
            _release(claim)
            raise
        return response

    return wrapper


def scope_of(request) -> str:
    """Whose keys these are: the signed-in user, a guest app by what it proves itself with
    (`orders.access.guest_credential`, hashed), else the session (created if needed)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    credential = access.guest_credential(request)
    if credential:
        return "guest:" + hashlib.sha256(credential.encode()).hexdigest()[:32]
    if not request.session.session_key:
        request.session.save()
    return f"session:{request.session.session_key}"


def submission_token(request) -> str:
    """This caller's Idempotency-Key as the token of what it submits (an order, a payment).

    Hashed with the caller's scope: one caller's key never meets another's,
    and any key (up to 255 characters) fits the 64 the columns keep.
    """
    submitted = f"{scope_of(request)}\0{request.headers[HEADER]}".encode()
    return "api:" + hashlib.sha256(submitted).hexdigest()[:60]


def fingerprint_of(request) -> str:
    """SHA-256 of method, path and body; JSON bodies compared by content, not spacing.

    The body is the raw bytes the edge middleware (`kernel.edge`) read and
    kept before anything parsed them, so any media type can be fingerprinted,
    even after a parser consumed the stream (DRF's CSRF check parses forms).
    """
    body = request.body
    # Not JSON, or too deep to normalise: compare the bytes (the parser refuses the latter).
    with contextlib.suppress(ValueError, RecursionError):
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), body):
        digest.update(part + b"\0")
    return digest.hexdigest()


def _claim(*, scope: str, key: str, fingerprint: str) -> IdempotencyKey | HttpResponse:
    now = timezone.now()
    claim = _insert_claim(scope=scope, key=key, fingerprint=fingerprint, now=now)
    if claim is not None:
        return claim
    existing = IdempotencyKey.objects.filter(scope=scope, key=key).first()
    if existing is not None and existing.expires_at <= now:
        # Expired, not purged yet: it no longer counts. Looked for only on a conflict, so
        # a fresh key costs its insert alone; parallel requests race for the insert again.
        IdempotencyKey.objects.filter(pk=existing.pk, expires_at__lte=now).delete()
        return _claim(scope=scope, key=key, fingerprint=fingerprint)
    if existing is None:  # released by its request between our insert and our read
        return _in_flight()
    if existing.fingerprint != fingerprint:
        return _problem(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            f"This {HEADER} was already used for a different request.",
        )
    if existing.state == IdempotencyKey.State.DONE:
        replay = HttpResponse(
            bytes(existing.response_bytes),
            status=existing.response_status,
            content_type=existing.response_content_type,
        )
        replay["Idempotent-Replayed"] = "true"
        return replay
    taken_over = IdempotencyKey.objects.filter(
        pk=existing.pk, state=IdempotencyKey.State.IN_FLIGHT, created_at__lt=now - IN_FLIGHT_TIMEOUT
    ).update(created_at=now)
    return existing if taken_over else _in_flight()


def _insert_claim(*, scope: str, key: str, fingerprint: str, now) -> IdempotencyKey | None:
    """The new claim, or None when the key is taken (the unique constraint decides,
    in one statement: kernel.inserts)."""
    claim = IdempotencyKey(
        scope=scope,
        key=key,
        fingerprint=fingerprint,
        created_at=now,
        expires_at=now + timedelta(hours=settings.ORDERS_IDEMPOTENCY_TTL_HOURS),
    )
    database = databases.connection_of("orders").alias
    return claim if insert_unless_taken(claim, using=database, unique=("scope", "key")) else None


def _release(claim: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=claim.pk, state=IdempotencyKey.State.IN_FLIGHT).delete()


def _in_flight() -> Response:
    return _problem(
        status.HTTP_409_CONFLICT,
        "idempotency_key_in_flight",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
    )


def _problem(status_code: int, code: str, detail: str) -> Response:
    return problem_response(problem(status_code, detail=detail, code=code), status_code)


def purge_expired() -> int:
    """Forget keys past their lifetime; returns how many (beat task, management command)."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


class _NotStored(Exception):
    """Carries a response that must not be stored (a 5xx) out of the transaction."""

    def __init__(self, response: Response) -> None:
        self.response = response
