"""The edge: hostile input is refused once, where it enters, before any view.

Every route would otherwise have to defend itself against the same few
classes of input that no honest client sends and that the database or the
interpreter cannot take (a 500 instead of an answer):

* **encoding**: a NUL character in the path, the query, a header, a field's
  name, or a field of a form sent to the API (PostgreSQL text columns refuse
  it). A NUL in the value of a form a *page* posts is let through: refused
  here, the shopper lost everything they had typed to a bare 400 page. The
  page's form refuses it instead, on the field, with the rest of the input
  kept (Django's text fields refuse NUL characters: ``ProhibitNullCharactersValidator``);
  a view that reads a posted value without a form answers a NUL as any
  unknown value. ``tests/test_hostile_input.py`` holds every route to it;
* **size**: a URL longer than ``EDGE_MAX_URL_LENGTH``, or a body larger
  than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django's own limit, which DRF's
  parsers would otherwise bypass by reading the stream themselves); a body
  sent chunked is read here, which Django would take for an empty one;
* **form framing**: a malformed multipart body, too many fields;
* **method**: one no route answers (``TRACE``, ``CONNECT``, anything
  made up) is a 405 with ``Allow``, before a view that reads no method
  answers it with a page; under the API with that route's methods in
  ``Allow`` (RFC 9110: the target resource's methods, not the site's). A
  method the API knows but the route's view does not answer is DRF's own
  405, and wins over a refused sign-in, role or throttle slot
  (``kernel.rest.exception_handler``), so a ``GET`` of a POST-only route is
  not a 401 the app could not fix by signing in. Only an unknown method
  resolves the route here: every other API request would pay for a second
  resolution, the early answers included;
* **content coding**: a body sent compressed (``Content-Encoding: gzip``)
  is a 415: every parser reads bodies as sent, and would read the
  compressed bytes as if they were the document;
* **nesting** and NUL characters inside JSON are the JSON parser's job
  (`kernel.parsers`), the one place where JSON is decoded.

On the way out, the answer to a ``HEAD`` leaves without its body, keeping
the ``Content-Length`` a ``GET`` would get (RFC 9110, 9.3.2): views and
kept pages answer a ``HEAD`` as a ``GET``, and gunicorn would drop the body
itself, with a warning in the log for each answer.

The middleware also reads the body once and keeps it (``request.body``),
so any later reader, e.g. the ``Idempotency-Key`` fingerprint, sees the raw
bytes whatever parser consumed the stream. Multipart bodies larger than the
limit outside the API are the exception: they are file uploads (admin
images, stock files), which Django streams to disk instead.

A refusal is a 4xx in the caller's language: under ``EDGE_API_PATH_PREFIX``
the API's own error format (the configured DRF exception handler, naming
the field), elsewhere the shop's 400 page, in the language of the URL (this
runs before the locale middleware, so it reads the language from the path
itself, as that middleware will).
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse, QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

NUL = "\x00"
#: Django's own words for it (its validator's), so its catalogue has them in every language.
NUL_MESSAGE = translation.gettext_lazy("Null characters are not allowed.")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class Refused(Exception):
    """Why a request is refused: an HTTP status, a message, and the field if one is to blame."""

    def __init__(
        self,
        status_code: int,
        message: str,
        field: str | None = None,
        allow: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.field = field
        self.allow = allow


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class URITooLong(exceptions.APIException):
    status_code = status.HTTP_414_REQUEST_URI_TOO_LONG
    default_detail = "The address is too long."
    default_code = "uri_too_long"


def edge_middleware(get_response):
    """Refuse hostile input (see the module docstring) before the rest of the stack runs."""

    def middleware(request):
        try:
            with translation.override(_language_of(request)):
                inspect(request)
        except Refused as refused:
            with translation.override(_language_of(request)):
                response = refusal_response(request, refused)
        else:
            response = get_response(request)
        return _headers_only(response) if request.method == "HEAD" else response

    return middleware


def _language_of(request) -> str:
    """The shopper's language as the URL names it (``/de/...``), else the default; the
    API's is the default."""
    if is_api(request):
        return settings.LANGUAGE_CODE
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _headers_only(response: HttpResponse) -> HttpResponse:
    if not response.streaming and response.content:
        response.headers.setdefault("Content-Length", str(len(response.content)))
        response.content = b""
    return response


#: The methods any route answers; others are refused here.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def inspect(request) -> None:
    """Raise `Refused` for the first hostile part of the request: method, URL, headers,
    then body."""
    if request.method not in METHODS:
        route_methods = _api_route_methods(request) if is_api(request) else None
        raise Refused(
            status.HTTP_405_METHOD_NOT_ALLOWED,
            gettext("This method is not answered here."),
            allow=route_methods or METHODS,
        )
    query = request.META.get("QUERY_STRING", "")
    # As it arrived, percent-encoded: "é" is six characters of the request line.
    if len(escape_uri_path(request.path)) + len(query) > settings.EDGE_MAX_URL_LENGTH:
        raise Refused(
            status.HTTP_414_REQUEST_URI_TOO_LONG,
            gettext("The address is longer than %(limit)s characters.")
            % {"limit": settings.EDGE_MAX_URL_LENGTH},
        )
    if NUL in request.path:
        raise Refused(
            status.HTTP_400_BAD_REQUEST, gettext("The address contains a null character.")
        )
    for name, value in request.META.items():
        if name.startswith("HTTP_") and NUL in value:
            header = name.removeprefix("HTTP_").replace("_", "-").title()
            raise Refused(
                status.HTTP_400_BAD_REQUEST,
                gettext("The %(header)s header contains a null character.") % {"header": header},
            )
    coding = request.META.get("HTTP_CONTENT_ENCODING", "").strip().lower()
    if coding not in ("", "identity"):
        raise Refused(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            gettext("Send the body uncompressed: Content-Encoding %(coding)s is not read.")
            % {"coding": coding[:40]},
        )
    try:
        _check_fields(request.GET)
        _check_body(request)
    except RequestDataTooBig as too_big:
        raise Refused(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            gettext("The request body is larger than %(limit)s bytes.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        ) from too_big
    except (
        MultiPartParserError,
        SuspiciousOperation,  # too many fields or files, in the query or the body
        BadRequest,
        UnreadablePostError,
        UnicodeDecodeError,
    ) as malformed:
        raise Refused(
            status.HTTP_400_BAD_REQUEST,
            gettext("The request could not be read: %(reason)s") % {"reason": malformed},
        ) from malformed


def is_api(request) -> bool:
    return request.path_info.startswith(settings.EDGE_API_PATH_PREFIX)


def _api_route_methods(request) -> list[str] | None:
    """The methods of the DRF view at this address, as its own 405 lists them; None when
    the address names no such view (Django's 404, or the slash redirect, answers it)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view_class = getattr(match.func, "cls", None)  # set by DRF's ``as_view``
    if view_class is None:
        return None
    view = view_class(**getattr(match.func, "initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)  # answers HEAD where it answers GET
    return view.allowed_methods


def _read_chunked(request) -> None:
    """A body sent chunked (no ``Content-Length``), read here so the stack sees it.

    Django reads as many bytes as ``Content-Length`` says, none without one, so a
    chunked body (an app streaming a body of unknown length straight to gunicorn,
    which de-chunks it) was read as empty: ``{"quantity": 0}`` became ``{}``, which
    a PATCH takes for "change nothing". Read at most the body limit plus one byte,
    so a larger body is refused (413) without being held whole. Only from a server
    that ends the input stream with the body (``wsgi.input_terminated``, as gunicorn
    does): on another, reading on would wait for bytes the client never sends.
    """
    meta = request.META
    if not meta.get("HTTP_TRANSFER_ENCODING") or meta.get("CONTENT_LENGTH"):
        return
    if not meta.get("wsgi.input_terminated"):
        return
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = meta["wsgi.input"].read(-1 if limit is None else limit + 1)
    if limit is not None and len(body) > limit:
        raise RequestDataTooBig()
    meta["CONTENT_LENGTH"] = str(len(body))
    request._stream = LimitedStream(BytesIO(body), len(body))


def _check_body(request) -> None:
    _read_chunked(request)
    content_type = request.content_type or ""
    is_upload = content_type == "multipart/form-data" and _declared_length(request) > (
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    )
    if is_upload and not is_api(request):
        if request.method == "POST":  # Django parses only POST; uploads are POSTs
            _check_fields(request.POST, values=False)
            _check_fields({name: [f.name] for name, f in request.FILES.items()})
        return
    body = request.body  # cached for every later reader; enforces the size limit
    if content_type not in FORM_TYPES or not body:
        return
    if request.method == "POST":
        fields, files = request.POST, request.FILES
    elif content_type == "multipart/form-data":
        fields, files = request.parse_file_upload(request.META, BytesIO(body))
    else:
        fields, files = QueryDict(body, encoding="utf-8"), {}
    # A page's form judges its own fields' values (the module docstring); the API's are here.
    _check_fields(fields, values=is_api(request))
    _check_fields({name: [upload.name] for name, upload in files.items()})


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _check_fields(fields, *, values: bool = True) -> None:
    """Refuse a NUL character in a form or query field's name or (``values``) its values,
    naming the field."""
    for name in fields:
        fields_values = fields.getlist(name) if isinstance(fields, QueryDict) else fields[name]
        if NUL in name:
            raise Refused(
                status.HTTP_400_BAD_REQUEST, gettext("A field name contains a null character.")
            )
        if values and any(NUL in (value or "") for value in fields_values):
            raise Refused(status.HTTP_400_BAD_REQUEST, str(NUL_MESSAGE), field=name)


def refusal_response(request, refused: Refused) -> HttpResponse:
    """The refusal as the API's error format under its prefix, else the shop's 400 page."""
    response = (
        _api_response(request, refused)
        if is_api(request)
        else HttpResponse(
            loader.render_to_string("400.html", {"message": refused.message}),
            status=refused.status_code,
        )
    )
    if refused.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        response["Allow"] = ", ".join(refused.allow or METHODS)
    return response


def _api_response(request, refused: Refused) -> HttpResponse:
    if refused.status_code == status.HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        error = PayloadTooLarge(refused.message)
    elif refused.status_code == status.HTTP_414_REQUEST_URI_TOO_LONG:
        error = URITooLong(refused.message)
    elif refused.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        error = exceptions.MethodNotAllowed(request.method[:20], detail=refused.message)
    elif refused.status_code == status.HTTP_415_UNSUPPORTED_MEDIA_TYPE:
        error = exceptions.UnsupportedMediaType(request.content_type, detail=refused.message)
    elif refused.field is not None:
        error = exceptions.ValidationError(
            {refused.field: [refused.message]}, code="null_characters_not_allowed"
        )
    else:
        error = exceptions.ParseError(refused.message)
    return api_error_response(request, error)


def api_error_response(request, error: exceptions.APIException) -> HttpResponse:
    """``error`` in the API's problem format, for a refusal answered before any view runs."""
    response = api_settings.EXCEPTION_HANDLER(error, {"request": request, "view": None})
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = JSONRenderer.media_type
    response.renderer_context = {"request": request, "response": response}
    return response.render()
