"""The service side: one view serving a context's ``api`` functions to its clients.

Mounted by the service's URLs at ``/internal/<context>/v1/``; each function
is ``POST <function name>``. The caller must present the shared secret
(``Authorization: Bearer <secret>``, compared in constant time): the
endpoints are for the shop's own processes, never for browsers, so they
have no session, no CSRF token and no CORS. The function runs exactly as it
would in process, with the same transactions; its published domain errors
go back as such (``kernel.remote.wire``), anything else is the service's
500, which the client counts as the service failing.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kernel.errors import DomainError
from kernel.remote import wire


def urlpatterns(
    *,
    functions: Mapping[str, Callable],
    errors: Mapping[str, type[DomainError]],
    secret: Callable[[], str],
    name: str,
) -> list[URLPattern]:
    """The route serving ``functions``; ``secret`` is read per request, so a rotated one applies."""
    published = tuple(errors.values())

    @csrf_exempt
    @require_POST
    def serve(request: HttpRequest, function: str) -> JsonResponse:
        if not _authorised(request, secret()):
            return _problem(401, "a valid shared secret is required")
        target = functions.get(function)
        if target is None:
            return _problem(404, f"no function {function!r}")
        try:
            arguments = wire.decode_arguments(target, json.loads(request.body))
        except ValueError as exc:  # not JSON, or wire.MalformedCall
            return _problem(400, str(exc))
        try:
            result = target(**arguments)
        except published as error:
            return JsonResponse(wire.encode_error(error), status=wire.DOMAIN_ERROR_STATUS)
        return JsonResponse(wire.encode_result(result))

    return [path("<str:function>", serve, name=name)]


def _authorised(request: HttpRequest, secret: str) -> bool:
    """A non-empty secret, presented exactly; compared in constant time."""
    presented = request.headers.get("Authorization", "")
    expected = f"Bearer {secret}"
    return bool(secret) and hmac.compare_digest(presented.encode(), expected.encode())


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:
    """A service's 400 (an unknown ``Host``, say): JSON, not the shop's page (it needs the
    shop's URLs)."""
    return _problem(400, "the request could not be read")


def not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    """A service's 404: JSON, not the shop's page (whose layout needs the shop's URLs)."""
    return _problem(404, "no such endpoint")


def server_error(request: HttpRequest) -> JsonResponse:
    """A service's 500 (already logged by Django): JSON, like its other answers."""
    return _problem(500, "the service failed; it has been logged")
