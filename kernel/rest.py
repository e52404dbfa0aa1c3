"""REST building blocks shared by every context's API.

Every 4xx and 5xx of the API has one body, ``application/problem+json``
in the spirit of RFC 9457, built here and nowhere else::

    {"type": "https://commerce.example/problems/validation", "title": "Bad Request",
     "status": 400, "detail": "quantity: Too many.", "code": "validation",
     "errors": {"quantity": ["Too many."]}}

``code`` is stable for apps to branch on (``validation``, ``not_found``,
``out_of_stock``, ``throttled``, ...) and ``type`` is the same code as a
URI; ``title`` is the status's phrase and ``detail`` says what happened
in words for the person. A validation problem's ``errors`` maps each
field to its messages; a nested field is named by its path
(``shipping_address.postal_code``, ``lines.0.quantity``). A domain error
keeps the members it adds (``shortages``, ``new_total``, ``sku``).
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.gzip import gzip_page
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from kernel.edge import is_api
from kernel.errors import DomainError
from kernel.fields import SKU, TextField, visible_or_blank
from kernel.money import MINOR_UNITS
from kernel.quantities import whole_number

PROBLEM_MEDIA_TYPE = "application/problem+json"
VALIDATION = "validation"
NON_FIELD = "non_field_errors"

#: The code of a problem that names none, by status.
CODES_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "throttled",
    431: "headers_too_large",
    500: "server_error",
    503: "unavailable",
}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler and every context's ``DomainError``, answered as a problem.

    Configured once (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``), so no view
    translates a domain error itself. Like DRF's own answers, it marks an
    atomic request for rollback. DRF's headers (``Retry-After``,
    ``WWW-Authenticate``, ``Allow``) are kept.
    """
    exc = _method_not_answered(exc, context) or exc
    if isinstance(exc, DomainError):
        set_rollback()
        headers = _challenge(context) if exc.http_status == 401 else None
        return problem_response(domain_problem(exc), exc.http_status, headers=headers)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = validation_problem(response.data, response.status_code)
    else:
        body = problem(response.status_code, detail=_text(response.data), code=_code(exc))
    return problem_response(body, response.status_code, headers=response.headers)


def _method_not_answered(exc: Exception, context: dict) -> exceptions.MethodNotAllowed | None:
    """DRF's 405 for a method the view does not answer, in place of whatever refused the
    request before DRF looked at its method: a sign-in, a role or a throttle slot (a 401
    the app cannot fix by signing in), a format. RFC 9110: the method comes first."""
    view, request = context.get("view"), context.get("request")
    if view is None or request is None or isinstance(exc, exceptions.MethodNotAllowed):
        return None
    method = request.method.lower()
    if method in view.http_method_names and hasattr(view, method):
        return None
    return exceptions.MethodNotAllowed(request.method)


def _challenge(context: dict) -> dict[str, str]:
    """``WWW-Authenticate`` for a domain's 401 (a sign-in refused), as DRF sends one with
    its own: RFC 9110 wants one on every 401. The view's scheme, else the API's first
    (the sign-in view authenticates nobody, yet a client learns the scheme from it)."""
    view, request = context.get("view"), context.get("request")
    challenge = view.get_authenticate_header(request) if view is not None else None
    if not challenge:
        challenge = api_settings.DEFAULT_AUTHENTICATION_CLASSES[0]().authenticate_header(request)
    return {"WWW-Authenticate": challenge} if challenge else {}


def problem(status: int, *, detail: str, code: str | None = None, **members) -> dict:
    """The problem document for ``status``; ``members`` are its extension members."""
    code = code or CODES_BY_STATUS.get(status) or f"http_{status}"
    return {
        "type": settings.API_PROBLEM_TYPE_BASE + code.replace("_", "-"),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **members,
    }


class ProblemResponse(Response):
    """A problem document, rendered as JSON whatever renderer the view negotiated.

    DRF renders an error with the view's renderer: the schema's is YAML first and
    the docs pages' is an HTML template, so their refusals (a 406 for an ``Accept``
    they cannot serve, a 404 for an unknown ``?format=``) came as YAML or as the
    text ``406 Not Acceptable`` under ``application/problem+json``.
    """

    @property
    def rendered_content(self):
        self.accepted_renderer = JSONRenderer()
        self.accepted_media_type = PROBLEM_MEDIA_TYPE
        return super().rendered_content


def problem_response(body: dict, status: int, headers=None) -> Response:
    response = ProblemResponse(body, status=status, content_type=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        if name.lower() != "content-type":
            response[name] = value
    return response


def validation_problem(detail, status: int = 400, code: str = VALIDATION) -> dict:
    """A 400 whose ``errors`` name each refused field with its messages."""
    errors = field_errors(detail)
    lines = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
    if list(errors) == [NON_FIELD]:
        lines = errors[NON_FIELD]
    return problem(status, detail=" ".join(lines), code=code, errors=errors)


def domain_problem(error: DomainError) -> dict:
    """A domain error's body as a problem: its ``detail`` and members, or its field errors."""
    body = dict(error.http_body())
    if "detail" not in body:
        return validation_problem(body, error.http_status)
    detail = str(body.pop("detail"))
    return problem(error.http_status, detail=detail, code=body.pop("code", None), **body)


def field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's error detail as ``{field path: [messages]}``, nested fields joined by dots.

    A nested serializer's own refusal (its ``non_field_errors``) is about
    the field that holds it, so it is named by that field.
    """
    errors: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix and key != NON_FIELD else prefix or str(key)
            for field, messages in field_errors(value, path).items():
                errors.setdefault(field, []).extend(messages)
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            path = prefix if isinstance(item, str) else f"{prefix}.{index}".lstrip(".")
            for field, messages in field_errors(item, path).items():
                errors.setdefault(field, []).extend(messages)
    else:
        errors[prefix or NON_FIELD] = [str(detail)]
    return errors


def _text(data) -> str:
    if isinstance(data, Mapping) and "detail" in data:
        return str(data["detail"])
    return " ".join(" ".join(messages) for messages in field_errors(data).values())


def _code(exc: Exception) -> str | None:
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str) and codes not in {"error", "invalid"}:
            return codes
    return None


class Unprocessable(exceptions.ValidationError):
    """Well formed (the schema holds) but refused by a rule no schema states: 422, by field.

    E.g. a password the password rules refuse, a postal code that is not
    one of the country's. A 400 says the request breaks the schema.
    """

    status_code = 422


class PreconditionFailed(exceptions.APIException):
    """A conditional request (``If-Match``, ``If-Unmodified-Since``) whose condition does not
    hold: 412 as a problem, where Django's ``get_conditional_response`` answers an empty page."""

    status_code = 412
    default_detail = gettext_lazy("What you asked for has changed since the version you name.")
    default_code = "precondition_failed"


#: The message on a field a request body does not have (``ClosedSerializer``).
class TryAgainIn(exceptions.Throttled):
    """DRF's 429 with a message of its own that already says when to try again ("try again
    in 44 minutes"): DRF appends "Expected available in 2641 seconds." to any message given
    with the wait, so the person read the wait twice. The wait still sets ``Retry-After``."""

    def __init__(self, wait: float, detail: str) -> None:
        super().__init__(detail=detail)
        self.wait = math.ceil(wait)


UNKNOWN_FIELD = "Not a field of this request."
#: The message on a text field given something else than a JSON string.
NOT_TEXT = "Not a valid string."


class ClosedSerializer(serializers.Serializer):
    """A request body that holds its own fields and nothing else (docs/decisions/0015).

    A text field takes a JSON string only (DRF would take a number too), an
    integer field a JSON number and a boolean field true or false.
    A field it does not have is a 400 naming it, whatever its value, rather
    than being dropped unread: a misspelt optional field (``billing_adress``)
    would otherwise be ignored in silence. A read-only field (an ``id``
    echoed back) is a field of the object and stays ignored. The schema
    says the same with ``additionalProperties: false``
    (``kernel.schema.ClosedSerializerExtension``). Nested bodies are closed
    when their serializer is one too.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = [name for name in data if name not in self.fields]
            if unknown:
                raise exceptions.ValidationError({str(name): [UNKNOWN_FIELD] for name in unknown})
            # A text field takes a JSON string, as the schema says (DRF also takes a number).
            not_text = [
                name
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField)
                and not field.read_only
                and name in data
                and data[name] is not None
                and not isinstance(data[name], str)
            ]
            if not_text:
                raise exceptions.ValidationError({name: [NOT_TEXT] for name in not_text})
            # A JSON body (not a query string, nor a form): its values have JSON's types.
            json_body = not isinstance(data, QueryDict)
            if json_body and (wrong := _not_of_json_type(self.fields, data)):
                raise exceptions.ValidationError(wrong)
            data = _shown_text(self.fields, data)
        return super().to_internal_value(data)


def _shown_text(fields, data):
    """``data`` with each trimmed text that shows nothing made blank (``visible_or_blank``),
    so a field that may not be blank refuses it as it refuses "  ", and an owner judging
    a whole input (a country's address rule) sees it empty."""
    blanked = [
        name
        for name, field in fields.items()
        if isinstance(field, serializers.CharField)
        and field.trim_whitespace
        and not field.read_only
        and isinstance(data.get(name), str)
        and data[name]
        and not visible_or_blank(data[name])
    ]
    if not blanked:
        return data
    data = data.copy() if isinstance(data, QueryDict) else dict(data)
    for name in blanked:
        data[name] = ""
    return data


#: A decimal as the schema's pattern for it writes one (``kernel.schema``); how many digits
#: on each side is the field's own check, with its own message.
DECIMAL_TEXT = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def _not_of_json_type(fields, data: Mapping) -> dict[str, list[str]]:
    """The integer and boolean fields of a JSON body given another JSON type, with their
    own "invalid" message: DRF would read "2" as 2 and "yes", 1 or "true" as true, which
    the schema (``integer``, ``boolean``) refuses, so an app that sends them is told.

    A decimal (an amount) is a string of ASCII digits, as the schema's pattern says:
    DRF reads it with ``Decimal()`` after trimming, so it took a float (29.9, which
    is not the amount the app meant to write), other scripts' digits ("\u0661.00"),
    "1_0", "1e2" and " 1.00"; the storefront's forms refuse them too (``kernel.money``)."""
    wrong = {}
    for name, field in fields.items():
        value = data.get(name)
        if field.read_only or value is None:
            continue
        if isinstance(field, serializers.BooleanField):
            fits = isinstance(value, bool)
        elif isinstance(field, serializers.IntegerField):
            whole = isinstance(value, float) and value.is_integer()
            fits = (isinstance(value, int) and not isinstance(value, bool)) or whole
        elif isinstance(field, serializers.DecimalField):
            fits = isinstance(value, str) and DECIMAL_TEXT.fullmatch(value) is not None
        else:
            continue
        if not fits:
            wrong[name] = [str(field.error_messages["invalid"])]
    return wrong


def shape_serializer(
    name: str, shape: Iterable[TextField], *, choices: Mapping[str, Sequence[str]] | None = None
) -> type[serializers.Serializer]:
    """A serializer class ``name`` with one input per input of ``shape``.

    An input the shape requires everywhere must be sent (so the schema marks
    it ``required``, and an app built from the schema sends it); any other
    is blank by default. Whether a value may be blank is judged by the
    shape's owner with the whole input, as with forms
    (``kernel.forms.shape_form``): a country's address rule answers an
    empty city, or a US address without its state, with a 422 naming the
    fields. An input named in ``choices`` must be one of them.
    """
    choices = choices or {}
    fields: dict[str, serializers.Field] = {}
    for spec in shape:
        if spec.name in choices:
            fields[spec.name] = serializers.ChoiceField(choices=choices[spec.name])
        elif spec.required:
            fields[spec.name] = serializers.CharField(max_length=spec.max_length, allow_blank=True)
        else:
            fields[spec.name] = serializers.CharField(
                max_length=spec.max_length, allow_blank=True, default=""
            )
    return type(name, (ClosedSerializer,), fields)


class MoneySerializer(serializers.Serializer):
    """A `Money` as the API shows it: ``{"amount": "12.50", "currency": "EUR"}``.

    The amount is a decimal string rounded to the currency's minor unit
    (the shared kernel's rounding): "1200" for JPY, "12.500" for KWD. A
    string, not a JSON number, so no client parses it into a float.
    """

    amount = serializers.CharField(
        source="rounded.amount",
        help_text='A decimal string in the currency\'s minor unit, e.g. "12.50".',
    )
    currency = serializers.ChoiceField(choices=sorted(MINOR_UNITS), help_text="ISO 4217 code.")


def bad_request(request, exception):
    """Django's 400 (a ``SuspiciousOperation``) as a problem under the API's prefix, else the
    shop's page; a plain line for a ``Host`` the shop does not serve.

    The shop's page cannot answer that one: its layout links to the page's
    own absolute address, and asking for the host raises again, which
    would turn a scanner's stray request into a 500 (and a 5xx alert).
    """
    if is_api(request):
        body = problem(400, detail="The request could not be read.")
        return JsonResponse(body, status=400, content_type=PROBLEM_MEDIA_TYPE)
    if isinstance(exception, DisallowedHost):
        return HttpResponseBadRequest("Bad Request: this host is not served here.\n", "text/plain")
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    """Django's 404 (no route matched) as a problem under the API's prefix, else the shop's page."""
    if is_api(request):
        body = problem(404, detail="There is no API endpoint at this address.")
        return JsonResponse(body, status=404, content_type=PROBLEM_MEDIA_TYPE)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """An unhandled exception (already logged by Django) as a problem under the API's prefix."""
    if is_api(request):
        body = problem(500, detail="Something went wrong on our side; it has been logged.")
        return JsonResponse(body, status=500, content_type=PROBLEM_MEDIA_TYPE)
    return defaults.server_error(request)


#: A link to a neighbouring page, or null.
LINK = {"type": "string", "format": "uri", "nullable": True}


class PageSerializer(serializers.Serializer):
    """The one envelope of every paged list: ``count``, ``page``, ``page_count``, links, results.

    Reads a page with ``total``, ``number``, ``page_count`` and ``items``
    (what every context's pager returns); a subclass declares ``results``
    (``source="items"``). ``next`` and ``previous`` are the request's own
    address with another ``page``, or null at either end; the request is
    read from the serializer's context.
    """

    count = serializers.IntegerField(source="total", min_value=0)
    page = serializers.IntegerField(source="number", min_value=1)
    page_count = serializers.IntegerField(min_value=0)
    next = serializers.SerializerMethodField()
    previous = serializers.SerializerMethodField()

    @extend_schema_field(LINK)
    def get_next(self, instance) -> str | None:
        return self._link(instance, +1)

    @extend_schema_field(LINK)
    def get_previous(self, instance) -> str | None:
        return self._link(instance, -1)

    def _link(self, instance, step: int) -> str | None:
        request = self.context.get("request")
        number = self.fields["page"].get_attribute(instance) + step
        if request is None or not 1 <= number <= self.fields["page_count"].get_attribute(instance):
            return None
        return replace_query_param(request.build_absolute_uri(), "page", number)


def read_query(serializer_class, request) -> dict:
    """The query string read by ``serializer_class``; a 400 on anything it refuses.

    A parameter the serializer reads as one value (not a list field) given
    more than once is refused too: ``?page=1&page=2`` names no page, and
    reading one of them silently would accept what the schema calls invalid.

    A parameter sent empty (``?page=``) is refused unless its field takes a blank
    value: DRF reads a query string as a form, where an empty optional field
    counts as left out, so ``?page=`` answered page 1 although the schema's
    integer has no empty form (the catalog's lists refuse it as well). An integer is
    ASCII digits (``kernel.quantities.whole_number``, as the catalog reads one): DRF's
    ``IntegerField`` also reads "1.0", "+1" and other scripts' digits. A parameter the
    serializer does not read is refused (``unknown_parameters``).
    """
    query = serializer_class(data=request.query_params)
    params = request.query_params
    refused = unknown_parameters(params, known=query.fields)
    refused |= {
        name: [_("Give this parameter a value, or leave it out.")]
        for name, field in query.fields.items()
        if "" in params.getlist(name) and not getattr(field, "allow_blank", False)
    }
    refused |= {
        name: [str(field.error_messages["invalid"])]
        for name, field in query.fields.items()
        if isinstance(field, serializers.IntegerField)
        and any(value and whole_number(value) is None for value in params.getlist(name))
    }
    refused |= {
        name: ["Give this parameter once."]
        for name, field in query.fields.items()
        if not isinstance(field, serializers.ListField | serializers.MultipleChoiceField)
        and len(params.getlist(name)) > 1
    }
    if refused:
        raise exceptions.ValidationError(refused)
    query.is_valid(raise_exception=True)
    return query.validated_data


#: The message on a query parameter a route does not read.
UNKNOWN_PARAMETER = "Not a parameter of this request."


def unknown_parameters(params, *, known) -> dict[str, list[str]]:
    """The parameters of ``params`` not among ``known``, each with its refusal: read by no
    one, ``?per_page=50`` answered the default page as if it had been read, and the app
    that guessed or misspelt it was never told (the catalog's lists and closed bodies tell)."""
    return {name: [UNKNOWN_PARAMETER] for name in params if name not in known}


class SkuListField(serializers.CharField):
    """A query parameter of comma-separated SKUs (``TEA-1,MUG-2``), read as a list without repeats.

    Exactly as the schema's ``pattern`` says: 1 to ``most`` SKUs as the
    catalog writes them (``kernel.fields.SKU``: ASCII, so a list of
    ``max_length`` never grows past what a server reads in a request line
    once percent-encoded), spaces around them allowed (and dropped).
    """

    def __init__(self, *, most: int, **kwargs) -> None:
        self.most = most
        sku = rf" *{SKU} *"
        self.pattern = rf"^{sku}(,{sku}){{0,{most - 1}}}$"
        super().__init__(trim_whitespace=False, **kwargs)
        schema = {"type": "string", "pattern": self.pattern, "example": "TEA-1,MUG-2"}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        extend_schema_field(schema)(self)

    def to_internal_value(self, data) -> list[str]:
        value = super().to_internal_value(data)
        if not re.fullmatch(self.pattern, value):
            raise exceptions.ValidationError(
                f"1 to {self.most} comma-separated SKUs: letters, digits, '.', '_' and '-', "
                "up to 64 of them each."
            )
        return list(dict.fromkeys(sku.strip(" ") for sku in value.split(",")))


class PageQuery(serializers.Serializer):
    """``?page=N`` of a paged list: a whole number from 1, else a 400 on ``page``.

    Give it to ``extend_schema(parameters=[PageQuery])`` so the schema
    states the same limit; ``PageQuery.number(request)`` reads it.
    """

    page = serializers.IntegerField(min_value=1, default=1, help_text="From 1.")

    @classmethod
    def number(cls, request) -> int:
        return read_query(cls, request)["page"]


def existing_page(page, requested: int):
    """``page`` (with ``total`` and ``page_count``), or a 404 when ``requested`` is past the
    last page of a list that has items: a page past the last names nothing, on every list
    alike. An empty list answers its one empty page."""
    if requested > page.page_count and page.total:
        raise exceptions.NotFound(f"page {requested} of {page.page_count}")
    return page


def _compressed(view):
    """``gzip_page``, whose ``Vary: Accept-Encoding`` is on every answer, a 304 too.

    Django's gzip adds it only to a body it might compress (200 bytes or more),
    so a conditional GET's 304 left it out while the 200 it revalidates had it:
    RFC 9110 (15.4.5) wants a 304 to carry the ``Vary`` of that 200, and a cache
    in front would otherwise take the 304 for every encoding.
    """
    zipped = gzip_page(view)

    @wraps(view)
    def answered(request, *args, **kwargs):
        response = zipped(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Encoding",))
        return response

    return answered


#: Gzip a view's GET answers when the client accepts it. Only for reads that
#: hold no secret (public catalog data, prices): BREACH guesses a secret
#: from the compressed size of a response that also reflects the
#: attacker's input, so answers with tokens or personal data stay plain.
compressed_reads = method_decorator(_compressed, name="get")
